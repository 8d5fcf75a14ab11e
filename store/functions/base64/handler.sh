#!/bin/sh
# Base64 of the request body; with ?decode, the body decoded instead.
case "$Http_Query" in
  *decode*) base64 -d 2>/dev/null || { echo "the body is not valid base64" >&2; exit 1; } ;;
  *) base64 -w0; echo ;;
esac
