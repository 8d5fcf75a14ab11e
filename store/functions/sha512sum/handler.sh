#!/bin/sh
# The SHA-512 digest of the request body, in hex.
sha512sum | cut -d' ' -f1
