// Bundle-time stand-in for `@faker-js/faker` (see scripts/mock-bundle.mjs): Prism only uses
// `require('@faker-js/faker').default`, and the full package carries every locale (4 MB of
// the 7 MB bundle). The English build is the same API with one locale.
const faker = require('@faker-js/faker/locale/en');
module.exports = { default: faker, faker };
