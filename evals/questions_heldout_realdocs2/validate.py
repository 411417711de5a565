"""Validate heldout_realdocs2.jsonl against the twelve documents in ../shared/realdocs (text extracted and compared as
the shared tasks-set validator does: evals/validate_tasks_set.py)."""
import json, os, sys
from collections import Counter
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from validate_tasks_set import document_text as extract, norm  # noqa: E402
DOCS = os.path.normpath(os.path.join(HERE, '..', '..', open(os.path.join(HERE, 'DOCS')).read().strip()))

texts = {}
for f in os.listdir(DOCS):
    if f == 'README.md': continue
    texts[os.path.splitext(f)[0]] = norm(extract(os.path.join(DOCS, f)))
assert len(texts) == 12, len(texts)

errs = []; ids = set(); types = Counter(); per_doc = Counter()
lines = open(os.path.join(HERE, 'heldout_realdocs2.jsonl'), encoding='utf-8').read().splitlines()
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
