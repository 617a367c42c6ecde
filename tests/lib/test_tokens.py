from roer.lib.tokens import hash_token, looks_like_token, new_token


def test_tokens_carry_256_random_bits_and_only_their_hash_is_returned_for_storage():
    token, token_hash = new_token()
    assert len(token) == 43  # 32 bytes in URL-safe base64
    assert looks_like_token(token)
    assert token_hash == hash_token(token)
    assert token not in token_hash
    assert len({new_token()[0] for _ in range(1000)}) == 1000


def test_anything_that_is_not_token_shaped_is_recognised_without_a_lookup():
    assert not looks_like_token("short")
    assert not looks_like_token("x" * 42 + "!")
    assert not looks_like_token("x" * 44)
