#!/bin/sh
# The request body is on stdin; the response is what this prints.
body=$(cat)
echo "Hello from bash! You said: ${body}"
