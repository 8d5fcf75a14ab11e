import json


def handle(event, context):
    """Pretty-prints the JSON body with sorted keys; 400 naming the position if it is not JSON."""
    try:
        document = json.loads(event.body or b"null")
    except ValueError as error:
        return {"statusCode": 400, "body": f"not JSON: {error}\n"}
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(document, indent=2, sort_keys=True) + "\n"}
