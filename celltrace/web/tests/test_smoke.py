def test_the_dashboard_sends_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_doctor_sees_only_patients_of_their_own_site(client_for, doctor, other_site, catalog):
    from testkit.journey import make_patient

    mine = make_patient(doctor.site)
    theirs = make_patient(other_site)
    client = client_for(doctor)
    assert client.get(f"/patients/{mine.pk}/").status_code == 200
    assert client.get(f"/patients/{theirs.pk}/").status_code == 404


def test_a_manager_dashboard_links_every_condition_report(client_for, manager, catalog):
    response = client_for(manager).get("/dashboard/")
    assert response.status_code == 200
    assert b'href="/outcomes/ms/"' in response.content
    assert b"Consultation requests waiting" in response.content
