from palapy.tools.errors import ApiError, field_error


def test_messages_are_sentences() -> None:
    assert ApiError(400, "failed to create record").message == "Failed to create record."
    assert ApiError(400, "Really?").message == "Really?"


def test_envelope_key_order() -> None:
    assert list(ApiError(404, "x").to_dict()) == ["data", "message", "status"]


def test_field_error_params_only_when_given() -> None:
    assert field_error("validation_required", "Cannot be blank.") == {
        "code": "validation_required",
        "message": "Cannot be blank.",
    }
    assert field_error("c", "m", {"max": 3})["params"] == {"max": 3}
