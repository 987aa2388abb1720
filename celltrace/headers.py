"""Response headers that keep patient data out of caches.

Every response that Django's views make is `Cache-Control: no-store`: pages of signed-in
staff and patients, the API, PDFs, attachments and downloads hold patient data, and the
public pages (the request form shown again with what the person typed, the sign-in page
with its CSRF token) hold a person's own data or a one-time token. Static assets (CSS,
scripts, images of the site) are answered earlier by WhiteNoise, which sits before this
middleware, and stay cacheable.
"""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True)
        return response
