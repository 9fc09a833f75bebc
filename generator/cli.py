"""Command line: ``python -m generator build|check|serve``. Exit 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

from generator.model.errors import ContentError, errors_of, format_summary, warnings_of
from generator.rules.dates import JST, fiscal_year, today_in_japan


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日付は YYYY-MM-DD で指定してください（値: {value}）") from None


# argparse's own messages, in Japanese (the rest of a message, such as the argument's name, is kept).
_USAGE_WORDS = (
    ("the following arguments are required: ", "次の引数が必要です: "),
    ("unrecognized arguments: ", "知らない引数です: "),
    ("invalid choice: ", "そのようなコマンドはありません: "),
    ("(choose from ", "（使えるもの: "),
    ("expected one argument", "値を1つ指定してください"),
    ("invalid int value: ", "整数で指定してください: "),
    ("argument ", "引数 "),
)


class JapaneseParser(argparse.ArgumentParser):
    """Usage errors in Japanese, exit code 2 (as argparse), never a traceback."""

    def error(self, message: str) -> NoReturn:
        for english, japanese in _USAGE_WORDS:
            message = message.replace(english, japanese)
        message = message.replace(")", "）") if "（使えるもの: " in message else message
        self.print_usage(sys.stderr)
        command = " ".join(["python -m generator", self.prog.removeprefix("python -m generator").strip(), "--help"]).replace(
            "  ", " "
        )
        self.exit(2, f"エラー: {message}\n（{command} で使い方を表示します）\n")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "使い方:")

    def format_help(self) -> str:
        return (
            super()
            .format_help()
            .replace("usage:", "使い方:")
            .replace("positional arguments:", "引数:")
            .replace("options:", "オプション:")
            .replace("show this help message and exit", "この説明を表示して終わる")
        )


def usage_error(message: str) -> int:
    """A usage mistake found after parsing (a month written wrongly): Japanese, exit 2."""
    print(f"エラー: {message}", file=sys.stderr)
    return 2


def parser() -> argparse.ArgumentParser:
    """The command line: one sub-command each, dispatched by ``args.func(args, today)`` (``run``)."""
    main = JapaneseParser(prog="python -m generator", description="横浜市社会教育コーナーのサイトを作ります。")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=JapaneseParser)
    common = _common_options()
    _add_site_commands(commands, common)
    _add_scaffold_commands(commands, common)
    _add_output_commands(commands, common)
    return main


def _common_options() -> argparse.ArgumentParser:
    """The options every sub-command takes (a parent parser)."""
    common = JapaneseParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="リポジトリのフォルダ（既定: 今のフォルダ）")
    common.add_argument("--today", type=_date, default=None, help="「今日」とみなす日付 YYYY-MM-DD（既定: 日本時間の今日）")
    common.add_argument("--debug", action="store_true", help="内部エラーのトレースバックを表示する")
    return common


def _command(commands, common: argparse.ArgumentParser, name: str, func, help_text: str) -> argparse.ArgumentParser:
    """A sub-command with the common options, run by ``func(args, today)``."""
    command = commands.add_parser(name, parents=[common], help=help_text)
    command.set_defaults(func=func)
    return command


def _add_site_commands(commands, common: argparse.ArgumentParser) -> None:
    """build, check, serve, schema."""
    build = _command(commands, common, "build", run_build, "検査してサイトを site/ に作る")
    build.add_argument("--out", type=Path, default=None, help="出力先（既定: site/）")
    build.add_argument("--strict", action="store_true", help="警告もエラーとして扱う")
    check = _command(commands, common, "check", run_check, "内容を検査するだけ（何も書きません）")
    check.add_argument("--strict", action="store_true", help="警告もエラーとして扱う")
    check.add_argument(
        "--base",
        default=None,
        metavar="REF",
        help="この版（例: origin/main）と比べ、日時・会場などを変えたのに updated が古いままの催しをエラーにする",
    )
    serve = _command(
        commands, common, "serve", run_serve, "プレビュー（保存すると1秒ほどでブラウザに反映。エラーはブラウザに表示）"
    )
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="待ち受けるアドレス（既定: 127.0.0.1:8000）")
    _command(
        commands,
        common,
        "schema",
        run_schema,
        "エディタ用の JSON Schema を schema/ に、ブラウザの編集画面の設定を admin/config.yml に書き出す（開発者向け）",
    )


def _add_scaffold_commands(commands, common: argparse.ArgumentParser) -> None:
    """new-event, new-series, new-year, new-newsletter: files for staff to fill in."""
    for name, what in (("new-event", "講座・イベント1件"), ("new-series", "繰り返しの講座・イベント")):
        scaffold = _command(commands, common, name, run_scaffold, f"{what}のファイルを、説明つきで作る")
        scaffold.add_argument("program", help="事業の ID（plan.yaml）")
        scaffold.add_argument("date", type=_date, help="日付（繰り返しなら初回）YYYY-MM-DD")
        scaffold.add_argument("--title", default=None, help="題名（省略すると事業名と日付）")
    new_year = _command(
        commands,
        common,
        "new-year",
        run_new_year,
        "年度を替える: plan.yaml を plans/YYYY.yaml に移し、翌年度の plan.yaml（下書き）を作る",
    )
    new_year.add_argument("--dry-run", action="store_true", help="何も書かずに、作る内容を表示する")
    new_newsletter = _command(commands, common, "new-newsletter", run_scaffold, "メールマガジンの号の前書きファイルを作る")
    new_newsletter.add_argument("month", help="号の年月 YYYY-MM")


def _add_output_commands(commands, common: argparse.ArgumentParser) -> None:
    """social, report, newsletter: drafts and reports for staff."""
    social = _command(commands, common, "social", run_social, "X・Instagram の投稿の下書きを作る（投稿はしません）")
    social.add_argument("--month", default=None, help="対象の年月 YYYY-MM（省略すると今日から31日間）")
    social.add_argument("--out", type=Path, default=None, help="書き出すファイル（省略すると画面に表示）")
    report = _command(commands, common, "report", run_report, "年度の事業実績報告（.md / .html / .csv / .svg）を作る")
    report.add_argument("year", type=int, help="年度（西暦）。例: 2025")
    report.add_argument("--out", type=Path, default=Path("out/reports"), help="書き出し先（既定: out/reports）")
    newsletter = _command(commands, common, "newsletter", run_newsletter, "メールマガジンの原稿（.txt / .html / .eml）を作る")
    newsletter.add_argument("month", help="号の年月 YYYY-MM（例: 2025-06）")
    newsletter.add_argument("--out", type=Path, default=Path("out/newsletters"), help="書き出し先（既定: out/newsletters）")


def report_problems(problems) -> None:
    """The problems to stderr, at most MAX_PROBLEMS_SHOWN (errors first) and a count of the rest;
    on GitHub Actions also as annotations on the changed lines."""
    from generator.reading.limits import MAX_PROBLEMS_SHOWN

    problems = list(problems)
    shown = problems
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown = sorted(sorted(problems, key=lambda p: p.severity != "error")[:MAX_PROBLEMS_SHOWN])
    for problem in shown:
        print(problem.format(), file=sys.stderr)
    if len(shown) < len(problems):
        print(
            f"…ほかに {len(problems) - len(shown)}件あります（最初の {MAX_PROBLEMS_SHOWN}件だけを表示しました。"
            "直してからもう一度検査すると、残りが表示されます）",
            file=sys.stderr,
        )
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in shown:
            print(problem.format_github())


def _print_warnings(site) -> None:
    report_problems(site.warnings)


def _strict_failures(site) -> list:
    return warnings_of(site.warnings)


def run(args: argparse.Namespace) -> int:
    """The sub-command ``args`` names (``parser``), with "today" from --today or the date in Japan."""
    real_today = today_in_japan(datetime.now().astimezone())
    args.recorded_until = real_today  # --today previews a date; records up to the real date are fine
    return args.func(args, args.today or real_today)


def run_check(args: argparse.Namespace, today: date) -> int:
    """``check``: load and check everything (and, with --base, what changed since that version); write nothing."""
    site = checked_site(args, today)
    _print_warnings(site)
    if args.strict and _strict_failures(site):
        print(format_summary(site.warnings) + "（--strict のため失敗にしました）", file=sys.stderr)
        return 1
    print(check_summary(site))
    return 0


def checked_site(args: argparse.Namespace, today: date):
    """The site with every problem ``check`` looks for among its warnings; ContentError if any is an error."""
    from generator.outputs.gate import gate_problems
    from generator.publish import build as build_module
    from generator.reading.load import load_site

    site = load_site(args.root, today, recorded_until=args.recorded_until)
    build_module.check_links(site)  # links and anchors in staff-written Markdown
    site = replace(site, warnings=tuple(sorted(set(site.warnings) | set(gate_problems(site)))))
    if errors_of(site.warnings):
        raise ContentError(site.warnings)
    if args.base:
        from generator.tools.changes import check_changes

        changed = check_changes(site, args.base, datetime.now(JST).replace(tzinfo=None))
        if changed:
            raise ContentError(list(site.warnings) + changed)
    return site


def run_build(args: argparse.Namespace, today: date) -> int:
    """``build``: check and build the site (with --strict, nothing is built while there are warnings)."""
    from generator.publish import build as build_module
    from generator.reading.load import load_site

    if args.strict:
        site = load_site(args.root, today, recorded_until=args.recorded_until)
        if _strict_failures(site):
            _print_warnings(site)
            print(format_summary(site.warnings) + "（--strict のため中止しました）", file=sys.stderr)
            return 1
    site = build_module.build(args.root, today, args.out, recorded_until=args.recorded_until)
    _print_warnings(site)
    print(f"サイトを作りました: {(args.out or args.root / 'site')}")
    return 0


def run_schema(args: argparse.Namespace, today: date) -> int:
    """``schema``: the JSON Schemas for editors and the browser editor's configuration (``today`` is not used)."""
    from generator.outputs.admin import write_config
    from generator.reading.load_plans import load_plans
    from generator.tools.schema import write_schemas

    for path in write_schemas(args.root):
        print(f"書き出しました: {path}")
    plans, problems = load_plans(args.root.resolve())
    if errors_of(problems):
        raise ContentError(problems)
    print(f"書き出しました: {write_config(args.root, plans)}")
    return 0


def run_serve(args: argparse.Namespace, today: date) -> int:
    """``serve``: the live preview, until Ctrl-C."""
    from generator.publish.serve import serve

    return serve(args.root.resolve(), today, args.dev_addr, recorded_until=args.recorded_until)


def run_scaffold(args: argparse.Namespace, today: date) -> int:
    from generator.outputs.newsletter import parse_month
    from generator.reading.load import load_site
    from generator.tools.scaffold import scaffold_event, scaffold_newsletter

    site = load_site(args.root, today, recorded_until=args.recorded_until)
    if args.command == "new-newsletter":
        try:
            path, text = scaffold_newsletter(site, *parse_month(args.month))
        except ValueError as error:
            return usage_error(str(error))
        if path.exists():
            print(f"{path.relative_to(site.root)} はもうあります。そのまま編集してください", file=sys.stderr)
            return 0
    else:
        path, text = scaffold_event(site, args.program, args.date, args.title, series=args.command == "new-series")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"作りました: {path.relative_to(site.root)}（編集したら python -m generator check で検査できます）")
    return 0


def run_social(args: argparse.Namespace, today: date) -> int:
    from generator.outputs.newsletter import parse_month
    from generator.outputs.social import render_social
    from generator.reading.load import load_site

    try:
        month = parse_month(args.month) if args.month else None
    except ValueError as error:
        return usage_error(str(error))
    text = render_social(load_site(args.root, today, recorded_until=args.recorded_until), month)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"書き出しました: {args.out}")
    else:
        print(text, end="")
    return 0


def run_report(args: argparse.Namespace, today: date) -> int:
    from generator.outputs.report import render_report
    from generator.reading.load import load_site

    files = render_report(load_site(args.root, today, recorded_until=args.recorded_until), args.year)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        print(f"書き出しました: {args.out / name}")
    return 0


def run_newsletter(args: argparse.Namespace, today: date) -> int:
    from generator.outputs.newsletter import build_issue, check_characters, parse_month, render_newsletter
    from generator.reading.load import load_site

    try:
        year, month = parse_month(args.month)
    except ValueError as error:  # a usage mistake, like every other command's: exit 2
        return usage_error(str(error))
    site = load_site(args.root, today, recorded_until=args.recorded_until)
    files = render_newsletter(site, year, month)
    report_problems(check_characters(build_issue(site, year, month), site))
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        print(f"書き出しました: {args.out / name}")
    return 0


def run_new_year(args: argparse.Namespace, today: date) -> int:
    """``new-year``: move plan.yaml to plans/ and start next year's (``today`` is not used)."""
    from generator.tools.new_year import start_new_year

    moved, text = start_new_year(args.root.resolve(), dry_run=args.dry_run)
    if args.dry_run:
        print(text, end="")
        return 0
    print(f"移しました: plan.yaml -> {moved.relative_to(args.root.resolve()).as_posix()}")
    print(
        "作りました: plan.yaml（翌年度の下書き。目標回数は空欄です。計画書のとおりに直し、終わったら draft: true の行を消してください）"
    )
    return 0


def check_summary(site) -> str:
    plan = site.plan
    counted = sum(1 for p in plan.programs if p.has_target)
    series = sum(1 for r in site.events if r.is_series)
    in_year = [o for o in site.occurrences if fiscal_year(o.date) == plan.fiscal_year]
    internal = sum(1 for r in site.events if r.item.internal)
    lines = [
        f"検査しました（今日: {site.today.isoformat()}）",
        f"  事業計画: {plan.title}（事業 {len(plan.programs)}件、うち目標回数あり {counted}件）",
        f"  講座・イベント: {len(site.events) - series}件、繰り返し: {series}件（うち内部の活動 {internal}件）",
        f"  {plan.fiscal_year}年度の開催回数: {len(in_year)}回",
        f"  ページ: {len(site.pages)}件",
        f"  警告: {len(warnings_of(site.warnings))}件、お知らせ: {len(site.warnings) - len(warnings_of(site.warnings))}件",
    ]
    later = sum(1 for r in site.events if r.item.published and r.item.published > site.today)
    if later or site.scheduled_posts:
        lines.insert(
            -1,
            f"  公開日がまだ先: 講座・イベント {later}件、お知らせ・ブログ {site.scheduled_posts}件（その日の再構築で公開されます）",
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except ContentError as error:
        report_problems(error.problems)
        print(format_summary(error.problems), file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - staff get a sentence, developers --debug
        from generator.publish.build import BuildError

        if args.debug:
            raise
        if isinstance(error, BuildError):
            print(f"サイトの組み立てに失敗しました。site/ は前のままです。\n{error}", file=sys.stderr)
            return 1
        print(f"内部エラー: {error!r}（--debug で詳細を表示）", file=sys.stderr)
        return 1
