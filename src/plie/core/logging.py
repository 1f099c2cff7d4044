"""What the server's log keeps of a request: a refused access (403) is an expected event
whose line says enough (« Forbidden (Permission denied): /participants/12/ »); the
traceback of the PermissionDenied that carried it only buried the log's real errors."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
