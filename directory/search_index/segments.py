"""Writing one new index segment from pre-analysed documents, straight through Whoosh's codec.

A rebuild could add its documents through Whoosh's `SegmentWriter`, which puts every posting
in a sorting pool (a tuple per posting, sorted, spilled to pickled run files, merged back)
and then reads each posting's field length back from disk. A rebuild adds documents in
document-number order, so each term's postings already arrive sorted: keeping a dict of
term -> document numbers and writing the terms in sorted order at the end does the same
work without the pool. A term found in one document only (most terms: ids, whole names,
rare words) keeps its posting in its term-table entry instead of a block of its own.
The segment's files are the ordinary Whoosh 3 format, read by Whoosh's own classes.
"""
from __future__ import annotations

from array import array
from itertools import groupby

from whoosh.analysis import IDTokenizer
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3Segment, W3TermInfo
from whoosh.fields import UnknownFieldError
from whoosh.formats import Existence, Frequency
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte


class _FieldWriter(W3FieldWriter):
    """Whoosh 3's term table and postings writer, plus a short way for a term found in one
    document: most terms of a rebuild (ids, whole names, rare name words) are, and going
    through the postings writer costs a pickled, compressed block of its own per term."""

    def add_inlined_term(self, btext: bytes, docnum: int, weight: float, vbytes: bytes, length: int) -> None:
        """The term's one posting goes in its term-table entry, where Whoosh's readers read
        inlined postings (its postings writer can inline too, but in whoosh-reloaded 2.7.5
        that path calls a misspelled `set_inline`, so it is off by default)."""
        terminfo = W3TermInfo(weight, 1, length or None, length or 0, weight, docnum, docnum)
        # The value is kept even when empty (b"" for Existence): a merge reads it back as
        # the posting's value and Whoosh's merge pool requires bytes.
        terminfo.set_inlined((docnum,), (weight,), (vbytes,))
        self._tindex.add(pack_ushort(self._fieldid) + btext, terminfo.to_bytes())


class _Codec(W3Codec):
    """Whoosh 3 segments, with the field writer above."""

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def new_segment(self, storage, indexname):
        # The segment is pickled into the index's TOC with its codec: name Whoosh's own class,
        # so opening the index never depends on this module.
        return W3Segment(W3Codec(), indexname)


# A posting's stored value, by format, as the format's `word_values` encodes a frequency.
_POSTING_VALUE = {Existence: lambda freq: b"", Frequency: pack_uint}


class _FieldPlan:
    """What adding a value of one field involves, worked out once per builder."""

    def __init__(self, name: str, field):
        self.name, self.field = name, field
        self.indexed, self.stored, self.column_type = field.indexed, field.stored, field.column_type
        self.scorable = field.indexed and field.scorable
        self.unique_terms = type(field.format) is Existence  # no frequencies: each term once
        self.whole_value = type(field.analyzer) is IDTokenizer  # a string is its one term
        self.postings: dict[bytes, int | array] = {}
        self.repeated: set[bytes] = set()  # terms found more than once in some document
        # Length bytes by document for a scorable field: a posting carries its document's
        # field length, as the segment's length column will give it back.
        self.lengths = array("B") if self.scorable else None


class SegmentBuilder:
    """One new segment of an index, from documents added in the order of their numbers.

    Documents are dicts as `IndexWriter.add_document` takes them; indexed fields give a list
    of already-analysed terms (or a string, which goes through the field's analyzer). Only
    `Existence` and `Frequency` formats are supported: nothing here records positions.
    """

    def __init__(self, storage, indexname: str, schema):
        for name in schema.names():
            field = schema[name]
            if field.indexed and (type(field.format) not in _POSTING_VALUE
                                  or field.vector or field.separate_spelling()):
                raise ValueError(f"field {name!r} needs Whoosh's own writer")
        self.storage, self.schema = storage, schema
        self.codec = _Codec()
        self.segment = self.codec.new_segment(storage, indexname)
        self.doc_count = 0
        self._perdoc = self.codec.per_document_writer(storage, self.segment)
        self._plans = {name: _FieldPlan(name, schema[name]) for name in schema.names()}

    def add(self, fields: dict) -> None:
        docnum = self.doc_count
        perdoc = self._perdoc
        perdoc.start_doc(docnum)
        for name, value in fields.items():
            if value is None or name.startswith("_stored_"):
                continue
            plan = self._plans.get(name)
            if plan is None:  # (boosts, `_boost` and `_<field>_boost`, are not supported either)
                raise UnknownFieldError(f"no field named {name!r} in the schema")
            length = self._add_terms(plan, value, docnum) if plan.indexed else 0
            stored = fields.get("_stored_" + name, value) if plan.stored or plan.column_type else None
            if plan.stored or length:
                perdoc.add_field(name, plan.field, stored if plan.stored else None, length)
            if plan.column_type and stored is not None:
                perdoc.add_column_value(name, plan.column_type, plan.field.to_column_value(stored))
        perdoc.finish_doc()
        self.doc_count += 1

    @staticmethod
    def _add_terms(plan: _FieldPlan, value, docnum: int) -> int:
        """Record the document under each of its terms; returns the field's length."""
        if isinstance(value, str):
            terms = [value] if plan.whole_value else [
                token.text for token in plan.field.analyzer(value, mode="index") if not token.stopped]
        else:
            terms = value
        if plan.unique_terms:
            terms = set(terms)
        postings = plan.postings
        for term in terms:
            key = term.encode("utf-8")
            known = postings.get(key)
            if known is None:
                postings[key] = docnum
                continue
            if type(known) is int:
                postings[key] = known = array("I", (known,))
            if known[-1] == docnum:
                plan.repeated.add(key)
            known.append(docnum)  # twice in a row when the term occurs twice
        if not plan.scorable:
            return 0
        lengths = plan.lengths
        if len(lengths) < docnum:
            lengths.extend(bytes(docnum - len(lengths)))  # documents without this field
        lengths.append(length_to_byte(len(terms)))
        return len(terms)

    def finish(self) -> W3Segment:
        """Write the per-document files, the term table and the postings; the segment, for
        a TOC to list."""
        self._perdoc.close()
        fieldwriter = self.codec.field_writer(self.storage, self.segment)
        try:
            for name in sorted(self._plans):
                if self._plans[name].postings:
                    self._write_field(fieldwriter, self._plans[name])
        finally:
            fieldwriter.close()
        self.segment.set_doc_count(self.doc_count)
        self.segment.create_compound_file(self.storage)
        self.segment.compound = True
        return self.segment

    def cancel(self) -> None:
        """Close what is open; the files written so far are left for `clean_files` (a TOC
        that does not list this segment makes them leftovers)."""
        if not self._perdoc.is_closed:
            self._perdoc.close()

    @staticmethod
    def _write_field(fieldwriter, plan: _FieldPlan) -> None:
        """Terms in sorted order; each term's postings are in document order already."""
        fmt = plan.field.format
        encode = _POSTING_VALUE[type(fmt)]
        counts_weight = type(fmt) is Frequency
        once = (fmt.field_boost, encode(1))

        def weight_and_value(freq):
            if freq == 1:
                return once
            return (freq * fmt.field_boost if counts_weight else fmt.field_boost), encode(freq)

        lengths = plan.lengths or b""
        count = len(lengths)

        def length_of(docnum):
            return byte_to_length(lengths[docnum]) if docnum < count else 0

        postings, repeated = plan.postings, plan.repeated
        fieldwriter.start_field(plan.name, plan.field)
        for term in sorted(postings):
            docs = postings[term]
            if type(docs) is int:
                fieldwriter.add_inlined_term(term, docs, *once, length_of(docs))
                continue
            if term not in repeated:
                fieldwriter.start_term(term)
                for docnum in docs:
                    fieldwriter.add(docnum, *once, length_of(docnum))
                fieldwriter.finish_term()
                continue
            runs = [(docnum, sum(1 for _ in run)) for docnum, run in groupby(docs)]
            if len(runs) == 1:
                docnum, freq = runs[0]
                fieldwriter.add_inlined_term(term, docnum, *weight_and_value(freq), length_of(docnum))
                continue
            fieldwriter.start_term(term)
            for docnum, freq in runs:
                fieldwriter.add(docnum, *weight_and_value(freq), length_of(docnum))
            fieldwriter.finish_term()
        fieldwriter.finish_field()
