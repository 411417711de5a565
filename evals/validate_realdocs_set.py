"""Validate a question set on the real regulations (fact, numeric, multi, unanswerable; its DOCS file names the
documents): JSON, unique ids, every evidence verbatim in its document (whitespace aside), every fact inside an
evidence, every document asked about, counts per type. Text is extracted and compared as the tasks-set validator
does (validate_tasks_set.document_text, norm). Usage: python evals/validate_realdocs_set.py evals/<set>"""
import glob, json, os, sys
from collections import Counter
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from validate_tasks_set import document_text as extract, norm  # noqa: E402


def main(directory):
    docs = os.path.normpath(os.path.join(directory, '..', '..', open(os.path.join(directory, 'DOCS')).read().strip()))
    texts = {}
    for f in os.listdir(docs):
        if f == 'README.md': continue
        texts[os.path.splitext(f)[0]] = norm(extract(os.path.join(docs, f)))
    assert len(texts) == 12, len(texts)

    errs = []; ids = set(); types = Counter(); per_doc = Counter()
    lines = [l for f in sorted(glob.glob(os.path.join(directory, '*.jsonl'))) for l in open(f, encoding='utf-8').read().splitlines()]
    for n, line in enumerate(lines, 1):
        try: q = json.loads(line)
        except Exception as e: errs.append(f'line {n}: bad json {e}'); continue
        for k in ('id','question','type','answerable','history','gold','facts','note'):
            if k not in q: errs.append(f'{n}: missing {k}')
        if q['id'] in ids: errs.append(f'dup id {q["id"]}')
        ids.add(q['id']); types[q['type']] += 1
        t = q['type']
        if t not in ('fact','numeric','multi','unanswerable'): errs.append(f'{q["id"]}: bad type')
        if (t == 'unanswerable') == q['answerable']: errs.append(f'{q["id"]}: answerable flag')
        if t == 'unanswerable':
            if q['gold'] or q['facts']: errs.append(f'{q["id"]}: unanswerable has gold/facts')
            if not q['note']: errs.append(f'{q["id"]}: empty note')
            continue
        if not q['gold'] or not q['facts']: errs.append(f'{q["id"]}: empty gold/facts')
        if t == 'multi' and len(q['gold']) < 2: errs.append(f'{q["id"]}: multi needs >=2 gold')
        evs = []
        for g in q['gold']:
            d, e = g['doc_id'], norm(g['evidence'])
            if d not in texts: errs.append(f'{q["id"]}: unknown doc {d}'); continue
            if not (10 <= len(e) <= 60): errs.append(f'{q["id"]}: evidence length {len(e)}')
            if e not in texts[d]: errs.append(f'{q["id"]}: evidence not in {d}: {g["evidence"]}')
            evs.append(e); per_doc[d] += 1
        for fct in q['facts']:
            if not any(norm(fct) in e for e in evs): errs.append(f'{q["id"]}: fact not in evidence: {fct}')
        if t == 'multi':
            for e in evs:
                if not any(norm(f) in e for f in q['facts']): errs.append(f'{q["id"]}: a multi part has no fact')
        for e in evs:  # question must not copy the evidence
            if e in norm(q['question']): errs.append(f'{q["id"]}: question copies evidence')

    print('questions:', len(lines), dict(types))
    print('gold entries per doc:', dict(per_doc))
    missing = set(texts) - set(per_doc)
    if missing: errs.append(f'docs without questions: {missing}')
    if errs:
        print('\n'.join(errs)); sys.exit(1)
    print('VALIDATION PASSED')


if __name__ == '__main__':
    main(os.path.abspath(sys.argv[1]))
