import unittest

from function import handler


class Event:
    def __init__(self, body):
        self.method = "POST"
        self.path = "/"
        self.query = {}
        self.headers = {}
        self.body = body


class HandlerTest(unittest.TestCase):
    def test_greets_the_caller(self):
        response = handler.handle(Event(b"tests"), None)
        self.assertEqual(200, response["statusCode"])
        self.assertIn("tests", response["body"])


if __name__ == "__main__":
    unittest.main()
