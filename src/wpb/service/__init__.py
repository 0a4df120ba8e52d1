"""The transfer service: storage, domain services and the REST API (see wpb.service.app)."""
