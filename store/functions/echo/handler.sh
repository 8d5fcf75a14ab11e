#!/bin/sh
# Answers with the request body, unchanged.
exec cat
