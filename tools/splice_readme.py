"""Replace the text between <!-- summary:start --> and <!-- summary:end --> in the README with
the table the build wrote (output/SUMMARY.md), so the README's numbers are the build's."""
import sys

readme, summary = sys.argv[1], sys.argv[2]
text = open(readme, encoding="utf-8").read()
table = open(summary, encoding="utf-8").read()
start, end = "<!-- summary:start -->", "<!-- summary:end -->"
if start not in text or end not in text:
    sys.exit(f"{readme}: the markers {start} and {end} are missing")
head, rest = text.split(start, 1)
_, tail = rest.split(end, 1)
new = f"{head}{start}\n{table}{end}{tail}"
if new != text:
    open(readme, "w", encoding="utf-8").write(new)
