def handle(event, context):
    """Returns the response body, or a dict with statusCode, headers and body."""
    name = event.body.decode("utf-8") or "world"
    return {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": f"Hello from Python, {name}!\n"}
