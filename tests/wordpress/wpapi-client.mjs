// Reads a site's WordPress REST API with the real `wpapi` client from npm, as a migrated site's
// apps do, and prints what it got as JSON. Usage: node wpapi-client.mjs ENDPOINT NODE_MODULES
import { createRequire } from 'node:module';

const [endpoint, modules] = process.argv.slice(2);
const require = createRequire(`${modules}/`);
const WPAPI = require('wpapi');
const wp = new WPAPI({ endpoint });

const ids = (items) => items.map((item) => item.id);
const status = async (request) => {
  try {
    await request.get();
    return 200;
  } catch (error) {
    return error.data?.status ?? error.status ?? String(error);
  }
};

const first = await wp.posts().perPage(2).page(1).get();
const second = await first._paging.next.get();
const categories = await wp.categories().perPage(100).get();
const tags = await wp.tags().perPage(100).get();
const embedded = await wp.posts().embed().perPage(1).get();
const hello = await wp.posts().id(1).get();
const report = {
  first: ids(first),
  total: first._paging.total,
  totalPages: first._paging.totalPages,
  second: ids(second),
  hello: { title: hello.title.rendered, link: hello.link, content: hello.content.rendered, date_gmt: hello.date_gmt },
  pages: ids(await wp.pages().perPage(100).get()).sort((a, b) => a - b),
  page: (await wp.pages().id(2).get()).title.rendered,
  categories: categories.map((term) => ({ id: term.id, slug: term.slug, name: term.name, count: term.count })),
  helloCategories: (await wp.categories().param('post', 1).get()).map((term) => term.slug),
  tags: tags.map((term) => ({ id: term.id, slug: term.slug })),
  users: (await wp.users().get()).map((user) => user.name),
  bySlug: ids(await wp.posts().slug('hello-world').get()),
  inFirstCategory: ids(await wp.posts().categories(categories[0].id).perPage(100).get()),
  filteredPaging: await (async () => {
    const busiest = categories.reduce((a, b) => (b.count > a.count ? b : a));
    const page = await wp.posts().categories(busiest.id).perPage(1).get();
    return { total: page._paging.total, first: ids(page), next: ids(await page._paging.next.get()) };
  })(),
  pastTheEnd: await status(wp.posts().page(99)),
  search: ids(await wp.posts().search('Foo').get()),
  after: ids(await wp.posts().after(new Date('2100-01-01T00:00:00Z')).get()),
  embedded: {
    authors: embedded[0]._embedded.author.map((author) => author.name),
    terms: embedded[0]._embedded['wp:term'].map((list) => list.map((term) => term.taxonomy)),
  },
  privatePost: await status(wp.posts().id(13)),
  draftPage: await status(wp.pages().id(9)),
  pageAsPost: await status(wp.posts().id(2)),
};
console.log(JSON.stringify(report));
