#!/bin/sh
# A streaming-mode function: the request body arrives on stdin, whatever is printed is the response.
name=$(cat)
echo "Hello, ${name:-world}! (${Http_Method:-GET} ${Http_Path:-/})"
