/*
 * The handbook's search worker: Material's search UI talks to it exactly as to the
 * theme's own worker (SETUP → READY, QUERY → RESULT), but it understands Polish and
 * English words, typos and synonyms, and ranks services first.
 *
 * - Words are lower-cased, stripped of diacritics (ą → a, ł → l: people type both) and
 *   reduced to a stem by a light suffix stripper for the site's language, the same for
 *   the index (built here, from the documents) and for the query.
 * - A query word matches a stem exactly, as the start of a longer word (while typing),
 *   or, when nothing matches exactly, with one letter missing, extra, wrong or swapped.
 * - Scores are BM25 over three fields (title, keywords, text) times each document's
 *   boost, times the share of query words a document matches.
 *
 * The documents come from search/search_index.json, which the page fetches and hands
 * over in the SETUP message; nothing else is loaded.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

var FIELDS = [
  { name: "title", weight: 10, b: 0.3 },
  { name: "keywords", weight: 8, b: 0.3 },
  { name: "text", weight: 1.5, b: 0.75 }
];
var K1 = 1.2;
var EXACT = 1, PREFIX = 0.6, FUZZY = 0.45;
var PHRASE = 1.5;
var MAX_EXPANSIONS = 60;
var SHOWN = 100;

var STOPWORDS = {
  en: "a an and are as at be by can do does for from get has have how i in is it me my " +
      "of on or our the to what when where who why with you your",
  pl: "a aby albo ale bo by co czy dla do gdzie i ich jak jaki jest jestem ja juz lub mi " +
      "mnie moj moja moje na nad nie o od oraz po pod przez przy sie ta te to ten tu w we " +
      "z za ze"
};

/* Polish endings, diacritics removed, longest first; a stem keeps at least 3 letters. */
var PL_SUFFIXES = (
  "owaniami owaniach owaniem eniami eniach aniami aniach owania owanie owaniu " +
  "owymi owych owego owemu eniem aniem enia enie eniu eniom ania anie aniu aniom " +
  "owej owym owie owac ujesz ujemy ujecie iego iemu ymi ych ego emu imi ich iej " +
  "ami ach owi owy owa owe ow om em ie iu ia io ej ym im uje uja ac ic " +
  "en an a e i o u y"
).split(" ");

var language = "en";
var stopwords = {};
var docs = [];
var pages = new Map();
var phrases = [];
var postings = new Map();
var vocabulary = [];
var lengths = [];
var averages = [];

function fold(word) {
  return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l");
}

function stemPolish(word) {
  for (var i = 0; i < PL_SUFFIXES.length; i++) {
    var suffix = PL_SUFFIXES[i];
    if (word.length - suffix.length >= 3 && word.endsWith(suffix))
      return word.slice(0, -suffix.length);
  }
  /* The e that comes and goes: podatek, podatku → podatk. */
  if (word.length >= 5 && word.endsWith("ek")) return word.slice(0, -2) + "k";
  return word;
}

function stemEnglish(word) {
  if (word.length <= 3) return word;
  if (word.endsWith("sses")) word = word.slice(0, -2);
  else if (word.endsWith("ies") && word.length > 4) word = word.slice(0, -3) + "y";
  else if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
  var m = /^(.{3,}?)(ing|ed|ment)$/.exec(word);
  if (m) {
    word = m[1];
    if (/([b-df-hj-np-tv-z])\1$/.test(word) && !/(ll|ss|zz)$/.test(word))
      word = word.slice(0, -1);
  }
  if (word.length > 4 && word.endsWith("e")) word = word.slice(0, -1);
  if (word.length > 3 && word.endsWith("y")) word = word.slice(0, -1) + "i";
  return word;
}

function stem(word) {
  return language === "pl" ? stemPolish(word) : stemEnglish(word);
}

/* The words of some HTML, each as [stem, folded word, start, end] in the plain text. */
var WORD = /[\p{L}\p{N}]+/gu;

function plainText(html) {
  return String(html || "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, function (entity, name) {
      if (name[0] === "#") {
        var code = name[1] === "x" || name[1] === "X"
          ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return String.fromCodePoint(code);
      }
      return { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: " " }[name] || " ";
    });
}

function analyse(text) {
  var terms = [];
  var lower = String(text).toLowerCase();
  var match;
  WORD.lastIndex = 0;
  while ((match = WORD.exec(lower)) !== null) {
    var folded = fold(match[0]);
    if (stopwords[folded]) continue;
    terms.push(stem(folded));
  }
  return terms;
}

/* ------------------------------------------------------------------------- */

function fieldText(doc, name) {
  var value = doc[name];
  if (value === undefined) return "";
  return plainText(Array.isArray(value) ? value.join(" , ") : value);
}

function build(config, documents) {
  language = (config.handbook && config.handbook.language) || "en";
  stopwords = {};
  (STOPWORDS[language] || STOPWORDS.en).split(" ").forEach(function (w) { stopwords[w] = 1; });
  docs = documents;
  pages = new Map();
  phrases = [];
  postings = new Map();
  lengths = FIELDS.map(function () { return []; });
  var totals = FIELDS.map(function () { return 0; });
  docs.forEach(function (doc, id) {
    var path = doc.location.split("#")[0];
    if (!pages.has(path) || doc.location === path) pages.set(path, id);
    phrases[id] = new Set([doc.title].concat(doc.keywords || []).map(function (phrase) {
      return analyse(plainText(phrase)).join(" ");
    }));
    FIELDS.forEach(function (field, f) {
      var terms = analyse(fieldText(doc, field.name));
      lengths[f][id] = terms.length;
      totals[f] += terms.length;
      var counts = new Map();
      terms.forEach(function (t) { counts.set(t, (counts.get(t) || 0) + 1); });
      counts.forEach(function (count, term) {
        var list = postings.get(term);
        if (!list) postings.set(term, list = []);
        list.push([id, f, count]);
      });
    });
  });
  averages = totals.map(function (total) { return Math.max(total / Math.max(docs.length, 1), 1); });
  vocabulary = Array.from(postings.keys()).sort();
}

/* ------------------------------------------------------------------------- */

/* Whether a and b differ by at most one letter inserted, deleted, replaced or swapped. */
function oneEditApart(a, b) {
  if (a === b) return true;
  var la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  var i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function firstAtLeast(prefix) {
  var lo = 0, hi = vocabulary.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (vocabulary[mid] < prefix) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* The index terms a query word stands for, each with how well it matches. */
function expand(word) {
  var folded = fold(word.toLowerCase());
  var stemmed = stem(folded);
  var found = new Map();
  var add = function (term, quality) {
    if (!found.has(term) || found.get(term) < quality) found.set(term, quality);
  };
  if (postings.has(stemmed)) add(stemmed, EXACT);
  if (postings.has(folded)) add(folded, EXACT);
  [folded, stemmed].forEach(function (prefix) {
    if (prefix.length < 2) return;
    for (var i = firstAtLeast(prefix), n = 0;
         i < vocabulary.length && vocabulary[i].startsWith(prefix) && n < MAX_EXPANSIONS;
         i++, n++)
      add(vocabulary[i], PREFIX * (0.5 + 0.5 * prefix.length / vocabulary[i].length));
  });
  if (!found.has(stemmed) && !found.has(folded) && stemmed.length >= 4) {
    for (var j = 0; j < vocabulary.length; j++) {
      var term = vocabulary[j];
      if (term.length >= 3 && (oneEditApart(stemmed, term) || oneEditApart(folded, term)))
        add(term, FUZZY);
    }
  }
  return found;
}

function queryWords(query) {
  var words = [];
  var lower = query.toLowerCase();
  var match;
  WORD.lastIndex = 0;
  while ((match = WORD.exec(lower)) !== null) words.push(match[0]);
  var meaningful = words.filter(function (w) { return !stopwords[fold(w)]; });
  return meaningful.length ? meaningful : words;
}

function search(query) {
  var words = queryWords(query);
  if (!words.length) return { items: [] };
  var scores = new Map();
  var matched = new Map();
  var hits = new Map();
  words.forEach(function (word, w) {
    var best = new Map();
    expand(word).forEach(function (quality, term) {
      var list = postings.get(term);
      var idf = Math.log(1 + (docs.length - list.length + 0.5) / (list.length + 0.5));
      list.forEach(function (p) {
        var id = p[0], f = p[1], tf = p[2], field = FIELDS[f];
        var norm = 1 - field.b + field.b * lengths[f][id] / averages[f];
        var s = quality * idf * field.weight * tf * (K1 + 1) / (tf + K1 * norm);
        best.set(id, (best.get(id) || 0) + s);
        if (!hits.has(id)) hits.set(id, new Set());
        hits.get(id).add(term);
      });
    });
    best.forEach(function (s, id) {
      scores.set(id, (scores.get(id) || 0) + s);
      if (!matched.has(id)) matched.set(id, new Set());
      matched.get(id).add(w);
    });
  });
  var whole = analyse(words.join(" ")).join(" ");
  var ranked = [];
  scores.forEach(function (s, id) {
    var share = matched.get(id).size / words.length;
    var boost = typeof docs[id].boost === "number" ? docs[id].boost : 1;
    var phrase = phrases[id].has(whole) ? PHRASE : 1;
    ranked.push({ id: id, score: s * boost * share * phrase });
  });
  ranked.sort(function (a, b) { return b.score - a.score; });
  var result = { items: group(ranked.slice(0, SHOWN), words, matched, hits) };
  var completion = complete(query, ranked.slice(0, 5));
  if (completion) result.suggest = [completion];
  return result;
}

/* The word of the best results' titles and keywords that the last word typed begins. */
function complete(query, ranked) {
  var typed = /[\p{L}\p{N}]+$/u.exec(query.toLowerCase());
  if (!typed) return null;
  for (var r = 0; r < ranked.length; r++) {
    var doc = docs[ranked[r].id];
    var source = plainText([doc.title].concat(doc.keywords || []).join(" ")).toLowerCase();
    var candidates = source.match(WORD) || [];
    for (var c = 0; c < candidates.length; c++)
      if (candidates[c].length > typed[0].length && candidates[c].startsWith(typed[0]))
        return candidates[c];
  }
  return null;
}

/*
 * Results by page, best page first. Each group lists the page's matching sections, best
 * first, then the page itself: the theme shows the page as the group's heading and every
 * section that scores as well as the first one, so the best service is always in sight.
 */
function group(ranked, words, matched, hits) {
  var groups = new Map();
  ranked.forEach(function (r) {
    var path = docs[r.id].location.split("#")[0];
    if (!groups.has(path)) groups.set(path, []);
    groups.get(path).push(item(r.id, r.score, words, matched, hits));
  });
  var items = [];
  groups.forEach(function (list, path) {
    var own = list.findIndex(function (i) { return i.location === path; });
    if (own >= 0 && list.length > 1) list.push(list.splice(own, 1)[0]);
    if (own < 0) {
      var page = pages.get(path);
      var doc = page !== undefined ? docs[page] : { location: path, title: list[0].title, text: "" };
      list.push(Object.assign({}, doc, { score: 0, terms: {} }));
    }
    items.push(list);
  });
  return items;
}

function item(id, score, words, matched, hits) {
  var doc = docs[id];
  var terms = {};
  words.forEach(function (word, w) { terms[word] = matched.get(id).has(w); });
  var marked = hits.get(id) || new Set();
  var text = highlight(doc.text, marked);
  var keywords = (doc.keywords || []).map(function (k) { return highlight(k, marked); });
  if (keywords.some(function (k) { return k.indexOf("<mark>") >= 0; }))
    text = "<em>" + keywords.join(", ") + "</em>" + (text ? " · " + text : "");
  var result = {
    location: doc.location,
    title: highlight(doc.title, marked),
    text: text,
    score: score,
    terms: terms
  };
  if (typeof doc.boost === "number") result.boost = doc.boost;
  return result;
}

/* The HTML with every word whose stem matched wrapped in <mark>; tags and entities kept. */
function highlight(html, marked) {
  if (!html || !marked.size) return html || "";
  return String(html).replace(/(<[^>]*>|&[#\w]+;)|([\p{L}\p{N}]+)/gu, function (all, markup, word) {
    if (markup) return markup;
    var term = stem(fold(word.toLowerCase()));
    return marked.has(term) ? "<mark>" + word + "</mark>" : word;
  });
}

/* ------------------------------------------------------------------------- */

self.addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    build(message.data.config || {}, message.data.docs || []);
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var data;
    try {
      data = search(String(message.data || ""));
    } catch (err) {
      console.warn("search failed", err);
      data = { items: [] };
    }
    self.postMessage({ type: RESULT, data: data });
  }
});
