#!/bin/sh
# Lines, words and bytes of the request body.
wc | awk '{ printf "lines %s\nwords %s\nbytes %s\n", $1, $2, $3 }'
