#!/bin/sh
# Prints the function's environment: the request's Http_* variables and the platform's.
env | sort
