def membership(request):
    m = getattr(request, "membership", None)
    # Unwrap the lazy object so templates can test it for truth.
    return {"membership": m if m else None}
