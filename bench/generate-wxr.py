#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of N posts, for the benches that need a site.

Each post has a title, an excerpt, five paragraphs of classic content with a caption shortcode
and a block-editor paragraph, two categories (one a child), three tags, an author and a few
meta fields, roughly the shape of a news site's export. The text is generated, not real: words
drawn from a vocabulary of a few thousand, the most common far more often than the rest (as in
any language), so searches and likeness meet both frequent and rare words. The newest post is
dated now and each earlier one ten minutes before the next (144 a day: a million posts span
nineteen years, as a national daily's archive does).
Usage: bench/generate-wxr.py N FILE
"""
import itertools
import random
import sys
import time

# Common words of the news, always in the vocabulary (the benches search for some of them).
NEWS_WORDS = ("rédaction enquête ville conseil budget école transport port marché élection "
              "rivière pont tribunal hôpital festival saison chantier quartier usine gare").split()
SYLLABLES = ("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu la le "
             "li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so "
             "su ta te ti to tu va ve vi vo vu").split()
VOCABULARY_SIZE = 6000
SECTIONS = ["monde", "france", "economie", "culture", "sport"]
MINUTES_BETWEEN_POSTS = 10


def vocabulary():
    """The news words, then invented words of two and three syllables, most common first."""
    rng = random.Random(7)
    invented = ["".join(parts) for parts in itertools.product(SYLLABLES, repeat=2)]
    invented += ["".join(rng.sample(SYLLABLES, 3)) for _ in range(VOCABULARY_SIZE)]
    words = NEWS_WORDS + [w for w in dict.fromkeys(invented) if w not in NEWS_WORDS]
    return words[:VOCABULARY_SIZE]


class Text:
    """Sentences whose words follow Zipf's law over the vocabulary."""

    def __init__(self, rng):
        self.rng = rng
        self.words = vocabulary()
        self.weights = list(itertools.accumulate(1 / rank for rank in range(1, len(self.words) + 1)))

    def sentence(self, n=12):
        words = self.rng.choices(self.words, cum_weights=self.weights, k=n)
        return " ".join(words).capitalize() + "."


def main():
    count, path = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    text = Text(rng)
    newest = int(time.time()) // 60 * 60
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
                  '<title>Banc d\'essai</title><link>https://journal.example</link>\n'
                  '<wp:wxr_version>1.2</wp:wxr_version>\n'
                  '<wp:base_site_url>https://journal.example</wp:base_site_url>\n')
        for i in range(1, 6):
            out.write(f'<wp:author><wp:author_login><![CDATA[auteur{i}]]></wp:author_login>'
                      f'<wp:author_display_name><![CDATA[Auteur {i}]]></wp:author_display_name></wp:author>\n')
        for s in SECTIONS:
            out.write(f'<wp:category><wp:category_nicename>{s}</wp:category_nicename>'
                      f'<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[{s.capitalize()}]]></wp:cat_name></wp:category>\n')
            out.write(f'<wp:category><wp:category_nicename>{s}-local</wp:category_nicename>'
                      f'<wp:category_parent>{s}</wp:category_parent><wp:cat_name><![CDATA[{s.capitalize()} local]]></wp:cat_name></wp:category>\n')
        for n in range(1, count + 1):
            section = SECTIONS[n % len(SECTIONS)]
            slug = f"article-{n}"
            published = time.gmtime(newest - (count - n) * MINUTES_BETWEEN_POSTS * 60)
            day = time.strftime("%Y/%m/%d", published)
            gmt = time.strftime("%Y-%m-%d %H:%M:%S", published)
            rfc822 = time.strftime("%a, %d %b %Y %H:%M:%S +0000", published)
            paragraphs = "\n\n".join(text.sentence(40) for _ in range(4))
            body = (f"{paragraphs}\n\n[caption id=\"attachment_{n}\" width=\"600\"]"
                    f"<img src=\"https://journal.example/wp-content/uploads/2024/03/p{n}.jpg\" alt=\"\" /> "
                    f"Une légende[/caption]\n\n<!-- wp:paragraph -->\n<p>{text.sentence()}</p>\n<!-- /wp:paragraph -->")
            tags = "".join(f'<category domain="post_tag" nicename="sujet-{t}"><![CDATA[Sujet {t}]]></category>'
                           for t in rng.sample(range(200), 3))
            out.write(f"""<item>
<title>{text.sentence(8)[:-1]} {n}</title>
<link>https://journal.example/{day}/{slug}/</link>
<pubDate>{rfc822}</pubDate>
<dc:creator><![CDATA[auteur{1 + n % 5}]]></dc:creator>
<guid isPermaLink="false">https://journal.example/?p={n}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[{text.sentence(20)}]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id>
<wp:post_date>{gmt}</wp:post_date>
<wp:post_date_gmt>{gmt}</wp:post_date_gmt>
<wp:post_name>{slug}</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:post_type>post</wp:post_type>
<wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="{section}"><![CDATA[{section.capitalize()}]]></category>
<category domain="category" nicename="{section}-local"><![CDATA[{section.capitalize()} local]]></category>
{tags}
<wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value><![CDATA[1]]></wp:meta_value></wp:postmeta>
</item>
""")
        out.write("</channel>\n</rss>\n")


if __name__ == "__main__":
    main()
