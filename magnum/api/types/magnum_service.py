from wsme import types as wtypes


class MagnumService(wtypes.Base):
    id = int
    host = wtypes.StringType(min_length=1, max_length=255)
    binary = wtypes.StringType(min_length=1, max_length=255)
    state = wtypes.Enum(str, "up", "down")
    report_count = int
    disabled = bool
    disabled_reason = wtypes.StringType(min_length=0, max_length=255)
    created_at = wtypes.wsattr(wtypes.text)
    updated_at = wtypes.wsattr(wtypes.text)


class MagnumServiceCollection(wtypes.Base):
    mservices = [MagnumService]
