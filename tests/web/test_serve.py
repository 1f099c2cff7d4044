"""`plie serve`: gunicorn with the application, collected static files in production mode."""

import pytest
from django.core.management import call_command

from plie.web.management.commands import serve

pytestmark = pytest.mark.django_db  # the server's start asks for the morning's computation


class FakeWorker:
    """Stands for the `plie db_worker` process: records that it was stopped."""

    def __init__(self):
        self.stopped = False

    def terminate(self):
        self.stopped = True

    def wait(self, timeout):
        return 0


@pytest.fixture
def started(monkeypatch):
    """Record what gunicorn would be started with instead of starting it."""
    calls = {}

    def fake_run(self):
        calls["options"] = self.options
        calls["app"] = self.load()

    monkeypatch.setattr(serve._Gunicorn, "run", fake_run)
    workers = []
    monkeypatch.setattr(serve, "_start_worker", lambda: workers.append(FakeWorker()) or workers[-1])
    calls["workers"] = workers
    collected = []
    real_call_command = serve.call_command
    monkeypatch.setattr(serve, "call_command", lambda name, **kw: collected.append(name) or None)
    calls["collected"] = collected
    yield calls
    monkeypatch.setattr(serve, "call_command", real_call_command)


def test_production_mode_collects_static_files_then_serves_the_application(started, settings):
    settings.STATIC_MANIFEST = True
    call_command("serve", bind="0.0.0.0:9000", workers=3)
    assert started["collected"] == ["collectstatic"]
    assert started["options"]["bind"] == "0.0.0.0:9000"
    assert started["options"]["workers"] == 3
    assert started["options"]["accesslog"] is None  # URLs hold record ids: never logged
    assert callable(started["app"])


def test_an_idle_connection_outlives_a_reverse_proxy_s_so_that_none_is_reset(started):
    # nginx keeps an idle connection to the application 60 s: the proxy must close first.
    call_command("serve")
    assert started["options"]["keepalive"] > 60


def test_development_mode_serves_static_files_from_the_sources(started, settings):
    settings.STATIC_MANIFEST = False
    call_command("serve")
    assert started["collected"] == []
    assert started["options"]["bind"] == "127.0.0.1:8000"


def test_the_background_worker_runs_beside_the_server_and_stops_with_it(started):
    call_command("serve")
    [worker] = started["workers"]
    assert worker.stopped


def test_no_worker_when_it_runs_elsewhere(started):
    call_command("serve", no_worker=True)
    assert started["workers"] == []


def test_the_server_s_start_asks_the_worker_to_compute_the_morning_s_pages(started):
    from django_tasks_db.models import DBTaskResult

    from plie.reporting.tasks import prepare_the_day

    call_command("serve", no_worker=True)
    assert DBTaskResult.objects.filter(task_path=prepare_the_day.module_path).count() == 1


def test_gunicorn_writes_no_control_socket_outside_the_data_directory(started):
    call_command("serve")
    assert started["options"]["control_socket_disable"] is True
    assert serve._Gunicorn(started["options"]).cfg.control_socket_disable  # a known setting
