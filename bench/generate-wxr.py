#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of N posts, for bench/wordpress-import.

Each post has a title, an excerpt, five paragraphs of classic content with a caption shortcode
and a block-editor paragraph, two categories (one a child), three tags, an author and a few
meta fields, roughly the shape of a news site's export. The text is generated, not real.
Usage: bench/generate-wxr.py N FILE
"""
import random
import sys

WORDS = ("rédaction enquête ville conseil budget école transport port marché élection "
         "rivière pont tribunal hôpital festival saison chantier quartier usine gare").split()


def sentence(rng, n=12):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def main():
    count, path = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    sections = ["monde", "france", "economie", "culture", "sport"]
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
        for s in sections:
            out.write(f'<wp:category><wp:category_nicename>{s}</wp:category_nicename>'
                      f'<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[{s.capitalize()}]]></wp:cat_name></wp:category>\n')
            out.write(f'<wp:category><wp:category_nicename>{s}-local</wp:category_nicename>'
                      f'<wp:category_parent>{s}</wp:category_parent><wp:cat_name><![CDATA[{s.capitalize()} local]]></wp:cat_name></wp:category>\n')
        for n in range(1, count + 1):
            section = sections[n % len(sections)]
            slug = f"article-{n}"
            day = 1 + n % 28
            paragraphs = "\n\n".join(sentence(rng, 40) for _ in range(4))
            body = (f"{paragraphs}\n\n[caption id=\"attachment_{n}\" width=\"600\"]"
                    f"<img src=\"https://journal.example/wp-content/uploads/2024/03/p{n}.jpg\" alt=\"\" /> "
                    f"Une légende[/caption]\n\n<!-- wp:paragraph -->\n<p>{sentence(rng)}</p>\n<!-- /wp:paragraph -->")
            tags = "".join(f'<category domain="post_tag" nicename="sujet-{t}"><![CDATA[Sujet {t}]]></category>'
                           for t in rng.sample(range(200), 3))
            out.write(f"""<item>
<title>{sentence(rng, 8)[:-1]} {n}</title>
<link>https://journal.example/2024/03/{day:02d}/{slug}/</link>
<pubDate>Sat, {day:02d} Mar 2024 08:00:00 +0000</pubDate>
<dc:creator><![CDATA[auteur{1 + n % 5}]]></dc:creator>
<guid isPermaLink="false">https://journal.example/?p={n}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[{sentence(rng, 20)}]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id>
<wp:post_date>2024-03-{day:02d} 09:00:00</wp:post_date>
<wp:post_date_gmt>2024-03-{day:02d} 08:00:00</wp:post_date_gmt>
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
