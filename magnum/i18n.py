"""Translation markers (oslo.i18n)."""

import oslo_i18n

_translators = oslo_i18n.TranslatorFactory(domain="magnum")

_ = _translators.primary
