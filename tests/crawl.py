"""What the page-walking tests (axe-core in Chromium, the English walk) follow on the demo."""
import re

ROLES = ("union", "platform", "mediator", "admin")
# Downloads, state changes and files are not pages.
SKIP = re.compile(r"/logout|/export|/download|\.(xlsx|csv|pdf|docx|ics|svg|png)(\?|$)|/static/|"
                  r"/calendar/|/feed")
