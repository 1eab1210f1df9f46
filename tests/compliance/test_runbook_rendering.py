from compliance.rendering import render

HOSTILE = """# Database failover

<script>alert("stolen")</script>

<img src="x.png" onerror="alert(1)">

Raw <a href="javascript:alert(3)">status</a>
<a href="https://status.example.test" onclick="alert(4)">real status</a>
"""

CODE = """Restore:

```bash
cat <<EOF > /tmp/restore.sql
SELECT * FROM audit WHERE a < b && c > d;
EOF
```

Inline `x &amp; y` stays as typed.
"""


def test_it_removes_scripts_event_handlers_and_javascript_links():
    html = render(HOSTILE)

    assert "<script" not in html
    assert "stolen" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert '<a rel="noopener noreferrer">status</a>' in html
    assert (
        '<a href="https://status.example.test" rel="noopener noreferrer">'
        "real status</a>" in html
    )
    assert '<img src="x.png">' in html


def test_it_leaves_a_markdown_javascript_link_unlinked():
    html = render("[Dashboard](javascript:alert(2))")

    assert html == "<p>[Dashboard](javascript:alert(2))</p>\n"
    assert "<a" not in html


def test_it_escapes_code_blocks_exactly_once():
    html = render(CODE)

    assert (
        "<pre><code>cat &lt;&lt;EOF &gt; /tmp/restore.sql\n"
        "SELECT * FROM audit WHERE a &lt; b &amp;&amp; c &gt; d;\n"
        "EOF\n</code></pre>" in html
    )
    assert "<code>x &amp;amp; y</code>" in html
    assert "&amp;lt;" not in html


def test_it_renders_markdown_structure():
    html = render("# Steps\n\n1. Page the on-call engineer.\n")

    assert html == "<h1>Steps</h1>\n<ol>\n<li>Page the on-call engineer.</li>\n</ol>\n"


def test_it_renders_nothing_for_an_empty_body():
    assert render("") == ""
