"""お知らせ (news) and ブログ (blog) pages, rendered here so any HTML builder can take them."""

from __future__ import annotations

from generator.model.plan import Post
from generator.reading.load import POST_KINDS
from generator.reading.markdown import render_markdown
from generator.reading.site import Site
from generator.render.page import Page
from generator.render.plaintext import summary, text_summary
from generator.render.templating import ENV, render_page, slug

INTROS = {
    "news": "休館日や申込受付など、横浜市社会教育コーナーからのお知らせです。",
    "blog": "社会教育や学習に関する身近な情報をお届けします。",
}


def posts_of(site: Site, kind: str) -> list[Post]:
    return [p for p in site.posts if p.kind == kind]


def summary_of(post: Post, length: int = 100) -> str:
    """The post's summary, or the start of its text as the page shows it (plain text of the rendered
    Markdown: link texts without their addresses, headings and list items apart), ``length`` characters at most."""
    if post.meta.summary.strip():
        return text_summary(post.meta.summary, length)
    return summary(render_markdown(post.body), length)


def render_post(site: Site, post: Post) -> Page:
    return render_page(
        f"{post.kind}/{post.slug}.md",
        "post.md.j2",
        kind="post",
        title=post.meta.title,
        description=summary_of(post),
        post=post,
        kind_label=POST_KINDS[post.kind],
        program=site.program(post.meta.program) if post.meta.program else None,
    )


def render_post_list(posts: list[Post], root: str) -> str:
    return str(ENV.get_template("_posts.j2").module.list(posts, root))  # type: ignore[attr-defined]


def render_post_pages(site: Site) -> dict[str, Page]:
    files: dict[str, Page] = {}
    for kind, label in POST_KINDS.items():
        mine = posts_of(site, kind)
        categories = sorted({c for p in mine for c in p.meta.categories})
        files[f"{kind}/index.md"] = render_page(
            f"{kind}/index.md",
            "posts_index.md.j2",
            kind=f"{kind}-index",
            title=label,
            description=INTROS[kind],
            intro=INTROS[kind],
            posts=mine,
            root="../",
            categories=categories,
            kind_label=label,
            depth=1,
        )
        for post in mine:
            files[f"{kind}/{post.slug}.md"] = render_post(site, post)
        for category in categories:
            files[f"{kind}/category/{slug(category)}.md"] = render_page(
                f"{kind}/category/{slug(category)}.md",
                "posts_index.md.j2",
                kind=f"{kind}-category",
                title=f"{label}: {category}",
                description=f"{label}の「{category}」の記事。",
                intro="",
                posts=[p for p in mine if category in p.meta.categories],
                root="../../../",
                categories=[],
                kind_label=label,
                depth=2,
            )
    return files
