"""REST API (FastAPI): health now; API keys, webhooks and SAML endpoints come later."""
