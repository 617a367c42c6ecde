import time
import pytest
from roer.lifecycle import letters
from roer.residents.models import LetterBatch
pytestmark = pytest.mark.django_db
def test_bench(survey, alice):
    batch = LetterBatch.objects.create(survey=survey, size=2000, requested_by=alice)
    t = time.perf_counter()
    assert letters.make_letters.call(batch.pk)
    print("2000 letters:", round(time.perf_counter() - t, 1), "s")
