import unittest

from function import handler


class Event:
    def __init__(self, body):
        self.body = body


class HandlerTest(unittest.TestCase):
    def test_indents_and_sorts(self):
        response = handler.handle(Event(b'{"b":1,"a":[1,2]}'), None)
        self.assertEqual('{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1\n}\n', response["body"])

    def test_rejects_what_is_not_json(self):
        self.assertEqual(400, handler.handle(Event(b"{nope"), None)["statusCode"])


if __name__ == "__main__":
    unittest.main()
