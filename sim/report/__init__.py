"""Reports: render a run's tables and figures (terminal, HTML); they never compute a figure themselves."""


def rendered_files(run) -> dict[str, str]:
    """The files a run's folder gets beside its data: the self-contained HTML report.

    matplotlib is imported here, when a report is drawn, not when ``sim`` is imported.
    """
    from .html import run_report_html

    return {"report.html": run_report_html(run)}
