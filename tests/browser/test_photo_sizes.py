"""Each photo's `sizes` says how wide the layout shows it, at every screen width: the
article page, the issue page and the home page (lead photos), and a photographer's grid on
the person page. A `sizes` wider than the slot makes phones download a larger file than they
need (Lighthouse: uses-responsive-images); a narrower one gives blurry photos. Measured
before the files arrive, so a photo whose box waits for its file (the grid's links were
inline-blocks, 0 px wide until then: a layout shift of 0.11 on the person page) fails too.
And Lighthouse's phone (412 px at DPR 1.75) and a 390-px phone at DPR 2 get the 720 px
rendition, a 390-px phone at DPR 3 the 1100 px one (not the 1600 px file)."""

import io

from django.test import override_settings

from articles import photos
from articles.models import Byline, Photo
from tests import factories
from tests.articles.test_photo_files import IN_MEMORY
from tests.imaging import samples

from .chromium import ChromiumTestCase, needs_chromium

pytestmark = needs_chromium

# Phones (320–430), a small tablet in portrait and landscape, the widths around the 41, 46
# and 48rem breakpoints, and desktops.
WIDTHS = (320, 335, 336, 360, 390, 412, 430, 500, 600, 656, 700, 736, 740, 767, 768, 1024, 1280)

# For every <img> in a <picture>: its laid-out width, and the width its `sizes` gives in this
# viewport (the first media condition that matches, its length measured in a probe element).
MEASURE = """() => [...document.querySelectorAll('picture img')].map((img) => {
  // The comma-separated parts, not splitting inside parentheses.
  const parts = [''];
  let depth = 0;
  for (const c of img.getAttribute('sizes')) {
    if (c === ',' && depth === 0) { parts.push(''); continue; }
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    parts[parts.length - 1] += c;
  }
  let chosen = null;
  for (const part of parts) {
    const found = part.trim().match(/^(\\(.*?\\))\\s+(.+)$/);
    if (!found) { chosen = part.trim(); break; }
    if (matchMedia(found[1]).matches) { chosen = found[2]; break; }
  }
  const probe = document.createElement('div');
  probe.style.cssText = 'position:absolute;visibility:hidden;height:1px;width:' + chosen;
  document.body.append(probe);
  const sized = probe.getBoundingClientRect().width;
  probe.remove();
  return {where: img.closest('.photo-grid') ? 'grid' : 'column', sizes: chosen, sized,
          shown: img.getBoundingClientRect().width,
          viewport: document.documentElement.clientWidth,
          main: document.querySelector('main').getBoundingClientRect().width};
})"""


@override_settings(PUBLIC_PAGE_LOCAL_SECONDS=0)
class PhotoSizesTests(ChromiumTestCase):
    def setUp(self):
        self.enterContext(override_settings(STORAGES=IN_MEMORY))
        issue = factories.issue(pages=1, published=True)
        self.ding = factories.person("丁小勇")
        self.article = factories.article(issue.pages.get(), headline="稻田收割忙")
        Byline.objects.create(article=self.article, person=self.ding, role="photographer")
        for size in ((2400, 1800), (1800, 2400)):
            photo = Photo(
                article=self.article, caption="农民在田间收割水稻。", photographer=self.ding
            )
            photos.attach_image(photo, io.BytesIO(samples.jpeg(size)), name="p.jpg")
        self.paths = {
            "article": self.article.get_absolute_url(),
            "issue": issue.get_absolute_url(),
            "home": "/",
            "person": self.ding.get_absolute_url(),
        }

    def test_sizes_match_the_layout_at_every_width(self):
        checked = set()
        for width in WIDTHS:
            # Phones have overlay scrollbars; desktop widths are fixed in rem, so a scrollbar
            # does not change them.
            context = self.browser.new_context(
                viewport={"width": width, "height": 800}, is_mobile=width < 768, locale="zh-CN"
            )
            page = context.new_page()
            # The photos' files never arrive: what is measured is the layout the page gives
            # them before they load (once loaded, a photo in a box sized by its content
            # would be as wide as `sizes` says whatever the CSS, and the test would prove
            # nothing), which is also what keeps the page from shifting as they load.
            page.route("**/media/**", lambda route: None)
            for name, path in self.paths.items():
                page.goto(self.live_server_url + path, wait_until="domcontentloaded")
                measured = page.evaluate(MEASURE)
                self.assertTrue(measured, (name, width))
                for image in measured:
                    checked.add((name, image["where"]))
                    with self.subTest(page=name, width=width, where=image["where"]):
                        self.assertAlmostEqual(image["sized"], image["shown"], delta=1, msg=image)
            context.close()
        self.assertTrue({("article", "column"), ("issue", "column"), ("home", "column")} <= checked)
        self.assertIn(("person", "grid"), checked)

    def test_phones_get_the_smallest_rendition_that_fills_the_column(self):
        for viewport, ratio, width in (
            ({"width": 412, "height": 823}, 1.75, 720),  # Lighthouse's phone
            ({"width": 390, "height": 844}, 2, 720),
            ({"width": 390, "height": 844}, 3, 1100),
            ({"width": 360, "height": 780}, 3, 1100),
        ):
            context = self.browser.new_context(
                viewport=viewport, device_scale_factor=ratio, is_mobile=True, locale="zh-CN"
            )
            page = context.new_page()
            page.goto(self.live_server_url + self.article.get_absolute_url())
            image = page.locator("figure.photo img").first
            image.scroll_into_view_if_needed()
            page.wait_for_function("document.querySelector('figure.photo img').complete")
            current = image.evaluate("img => img.currentSrc")
            context.close()
            with self.subTest(width=viewport["width"], ratio=ratio):
                self.assertRegex(current, rf"/media/renditions/[0-9a-f]{{16}}/{width}\.webp$")
