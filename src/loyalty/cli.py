"""``loyalty``: Litestar's CLI (``run``, ``database ...``) plus the project's own commands."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
from litestar import Litestar
from litestar.plugins import CLIPluginProtocol

T = TypeVar("T")
APP_PATH = "loyalty.app:create_app"


def main() -> None:
    os.environ.setdefault("LITESTAR_APP", APP_PATH)
    from litestar.cli.main import litestar_group

    try:
        litestar_group()
    except Exception as exc:  # settings errors and the like: a message, not a traceback
        from loyalty.settings import SettingsError

        if isinstance(exc, SettingsError):
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        raise


def _run(app: Litestar, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``work(runtime)`` on a fresh loop and release the engine's connections afterwards."""
    runtime = app.state.runtime

    async def wrapped() -> T:
        try:
            return await work(runtime)
        finally:
            await runtime.db_config.get_engine().dispose()

    return asyncio.run(wrapped())


def migrate(app: Litestar) -> None:
    from advanced_alchemy.alembic.commands import AlembicCommands

    AlembicCommands(sqlalchemy_config=app.state.runtime.db_config).upgrade("head")


class LoyaltyCommands(CLIPluginProtocol):
    def on_cli_init(self, cli: click.Group) -> None:
        @cli.command(
            "run",
            help="Serve the API with LOYALTY_WORKERS processes (default: one per CPU); SIGTERM drains "
            "requests in flight for up to LOYALTY_SHUTDOWN_GRACE_SECONDS, then exits 0.",
        )
        @click.option("--host", default="127.0.0.1", show_default=True)
        @click.option("--port", default=8000, show_default=True, type=int)
        @click.option(
            "--workers",
            type=click.IntRange(1, 64),
            default=None,
            help="Worker processes (overrides LOYALTY_WORKERS).",
        )
        def run(app: Litestar, host: str, port: int, workers: int | None) -> None:
            from loyalty.server import serve

            settings = app.state.runtime.settings
            count = workers or settings.server.worker_count
            click.echo(f"serving on http://{host}:{port} with {count} worker process(es)")
            serve(
                host=host,
                port=port,
                workers=count,
                grace_seconds=settings.server.shutdown_grace_seconds,
                log_level=settings.app.log_level,
            )

        @cli.command(
            "create-admin",
            help="Create a platform admin (password from the terminal or LOYALTY_ADMIN_PASSWORD).",
        )
        @click.option("--email", required=True)
        @click.option("--full-name", required=True)
        def create_admin(app: Litestar, email: str, full_name: str) -> None:
            from loyalty.core.errors import AppError
            from loyalty.staff.services import StaffService

            password = os.environ.get("LOYALTY_ADMIN_PASSWORD") or click.prompt(
                "Password", hide_input=True, confirmation_prompt=True
            )

            async def work(runtime: Any) -> str:
                async with runtime.db_config.get_session() as session:
                    user = await StaffService(session, runtime).create_admin(email, full_name, password)
                    await session.commit()
                    return str(user.email)

            try:
                created = _run(app, work)
            except AppError as exc:
                raise click.ClickException(f"{exc.code}: {exc.detail}") from None
            click.echo(f"admin {created} created")

        @cli.group("retention", help="Erase what has served its purpose (periods: LOYALTY_PRIVACY_*).")
        def retention() -> None:
            pass

        @retention.command("run", help="Run retention once and print what was removed, by kind.")
        def retention_run(app: Litestar) -> None:
            from loyalty.privacy.retention import run_retention

            report = _run(app, run_retention)
            if report is None:
                click.echo("another instance is running retention; nothing done")
                return
            for kind, count in report.items():
                click.echo(f"{kind}: {count}")

        @cli.group("audit", help="The audit log.")
        def audit() -> None:
            pass

        @audit.command(
            "verify", help="Check the audit log's hash chain; exits 1 when a row was deleted or altered."
        )
        def audit_verify(app: Litestar) -> None:
            from loyalty.audit.services import verify_chain

            async def work(runtime: Any) -> Any:
                async with runtime.db_config.get_session() as session:
                    return await verify_chain(session, runtime.settings.secret_key)

            report = _run(app, work)
            if report.intact:
                click.echo(f"audit chain intact: {report.rows} rows")
                return
            raise click.ClickException(f"audit chain broken at row {report.broken_at}: {report.reason}")

        @cli.command(
            "worker",
            help="Run the job worker (deliveries, reconciler, announcements, periodic notices) until SIGTERM.",
        )
        @click.option("--drain", is_flag=True, help="Run the jobs that are due now, then exit.")
        def worker(app: Litestar, drain: bool) -> None:
            from loyalty.worker import drain as drain_queue
            from loyalty.worker import run_worker

            async def work(runtime: Any) -> None:
                if drain:
                    await drain_queue(runtime)
                    return
                stop = asyncio.Event()
                loop = asyncio.get_running_loop()
                for sig in (signal.SIGTERM, signal.SIGINT):
                    loop.add_signal_handler(sig, stop.set)
                click.echo("worker running; SIGTERM or Ctrl-C stops it after the running jobs")
                await run_worker(runtime, stop)

            _run(app, work)

        @cli.command("seed-demo", help="Fill an empty database with demo data and print the demo logins.")
        @click.option("--force", is_flag=True, help="Allow seeding when LOYALTY_ENV=production.")
        def seed_demo(app: Litestar, force: bool) -> None:
            _seed(app, force=force)

        @cli.command("up", help="Development: migrate, seed demo data, print the logins and docs URL, serve.")
        @click.option("--host", default="127.0.0.1", show_default=True)
        @click.option("--port", default=8000, show_default=True, type=int)
        def up(app: Litestar, host: str, port: int) -> None:
            import uvicorn

            click.echo("applying migrations ...")
            migrate(app)
            _seed(app, force=False)
            click.echo(f"\nAPI docs:  http://{host}:{port}/schema  (OpenAPI JSON at /schema/openapi.json)")
            click.echo(f"API base:  http://{host}:{port}/api/v1")
            if app.state.runtime.settings.worker_in_process:
                click.echo("job worker: running in this process (LOYALTY_WORKER_IN_PROCESS)\n")
            else:
                click.echo("job worker: not in this process; run `loyalty worker` beside it\n")
            uvicorn.run(app, host=host, port=port, log_level="warning")
            # A second Ctrl-C (uv forwards the terminal's) must not cut short stopping the embedded server.
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def _seed(app: Litestar, *, force: bool) -> None:
    from loyalty.demo.seed import print_logins, seed_demo
    from loyalty.settings import Environment

    runtime = app.state.runtime
    if runtime.settings.app.env is Environment.PRODUCTION and not force:
        raise click.ClickException("refusing to seed demo accounts in production (use --force to insist)")
    report = _run(app, seed_demo)
    print_logins(report, click.echo)
