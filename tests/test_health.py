def test_health_answers_on_a_commune_and_on_the_platform(bertrix_client, platform_client, count_queries):
    with count_queries() as queries:
        response = bertrix_client.get("/sante/")
    assert (response.status_code, response.content) == (200, b"ok")
    assert queries.statements == ["SELECT 1"]  # the database is asked; the host's commune is kept
    assert platform_client.get("/sante/").content == b"ok"
