"""Form helpers shared by the platform and its modules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def apply_service_errors(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors at their field, the rest at the top.

    Services validate the rules forms can't see (rights, state, limits); the
    view puts their refusal where the person will read it.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
