"""The HTTP delivery layer: validators, compression, the response cache, CORS.

Everything here is pure ASGI and generic over routes, so a router added later
gets ETags, 304s, Cache-Control, Surrogate-Key, gzip and caching without code.
"""
