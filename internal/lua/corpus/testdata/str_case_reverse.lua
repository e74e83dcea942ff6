-- upper, lower, reverse, len on ASCII and non-ASCII bytes
print(("Hello World 123"):upper(), ("Hello World 123"):lower())
print(("abc"):reverse(), (""):reverse(), ("a"):reverse(), ("ab\0cd"):reverse() == "dc\0ba")
print(("ÄÖü"):upper() == "ÄÖü", ("ÄÖü"):lower() == "ÄÖü", #"ÄÖü")
print(string.len("abc"), string.len(""), string.len("\0\0\0"), #"a\0b")
print(string.upper(123), string.lower(1.5))
