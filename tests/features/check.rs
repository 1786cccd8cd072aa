//! Runs against the crate generated from `features.yaml` (see `tests/tests/features.rs`):
//! the requests it sends and the values it decodes, checked on a wiremock server.

use features_client::types::{Pet, PetFilter, PetFilterAge, Shape};
// The inline schemas of one path's operations are defined beside them, at the crate root.
use features_client::{Client, ListPetsPage, ListPetsParams, ListPetsPoint, Upload, UploadPhotoBody};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let server = MockServer::start().await;
    let pets = serde_json::json!([
        {"petType": "cat", "name": "Tom", "lives": 9},
        {"petType": "kitten", "name": "Kit"},
        {"petType": "dog", "name": "Rex", "good": true},
        {"petType": "Lizard", "name": "Liz"},
        {"petType": "parrot", "name": "Polly"},
        {"name": "no tag"}
    ]);
    Mock::given(method("GET")).and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&pets))
        .mount(&server).await;
    Mock::given(method("POST")).and(path("/pets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"kind": "box", "side": 2.0})))
        .mount(&server).await;
    Mock::given(method("POST")).and(path("/pets/a%2Fb/photos"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();

    // Cookies, deepObject, exploded and unexploded objects, array headers.
    let params = ListPetsParams::new("s;1")
        .prefs([1, 2])
        .filter(
            PetFilter::default()
                .with_species("cat & dog")
                .with_age(PetFilterAge::default().with_min(1).with_max(9))
                .with_tags(vec!["a".into(), "b".into()]),
        )
        .page(ListPetsPage::default().with_size(10).with_cursor("x=y"))
        .point(ListPetsPoint::default().with_x(1).with_y(2))
        .x_trace(["t1", "t2"])
        .ids(features_client::ListPetsIds::StringList(vec!["a,b".into(), "c".into()]))
        .any(serde_json::json!({"deep": [1, 2]}));
    let listed = client.list_pets(&params).await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        request.url.query(),
        Some("filter[species]=cat%20%26%20dog&filter[age][min]=1&filter[age][max]=9&filter[tags]=a&filter[tags]=b&size=10&cursor=x%3Dy&point=x,1,y,2&ids=a%2Cb,c&deep=1&deep=2")
    );
    let cookies: Vec<_> = request.headers.get_all("cookie").iter().collect();
    assert_eq!(cookies.len(), 1, "one Cookie header");
    assert_eq!(cookies[0], "session=s%3B1; prefs=1,2");
    assert_eq!(request.headers.get("x-trace").unwrap(), "t1,t2");

    // Discriminated unions: mapping, several values for one schema, implicit names, unknown
    // and missing values kept.
    let names: Vec<String> = listed
        .iter()
        .map(|pet| match pet {
            Pet::Cat(cat) => format!("cat {} {:?}", cat.name, cat.lives),
            Pet::Dog(dog) => format!("dog {} {:?}", dog.name, dog.good),
            Pet::Lizard(lizard) => format!("lizard {}", lizard.name),
            Pet::Other(value) => format!("other {}", value["name"]),
            other => panic!("a member the document does not have: {other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        ["cat Tom Some(9)", "cat Kit None", "dog Rex Some(true)", "lizard Liz", "other \"Polly\"", "other \"no tag\""]
    );
    // Encoding writes the tag back, and the value round-trips.
    for pet in &listed {
        let json = serde_json::to_value(pet).unwrap();
        let again: Pet = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(&again, pet, "{json}");
    }
    let mut lizard = features_client::types::Lizard::new("Liz");
    lizard.pet_type = None;
    // What the document deprecates still works, with a warning at each use: `expect` fails
    // the build (warnings are errors here) if one of them is not deprecated.
    #[expect(deprecated)]
    {
        lizard.scales = Some(3);
    }
    let lizard_json = serde_json::to_value(Pet::Lizard(Box::new(lizard))).unwrap();
    assert_eq!(lizard_json["petType"], "Lizard");
    assert_eq!(lizard_json["scales"], 3);
    #[expect(deprecated)]
    let mut legacy = features_client::types::LegacyPet::default();
    #[expect(deprecated)]
    {
        legacy.name = Some("v1".into());
    }
    assert_eq!(serde_json::to_value(&legacy).unwrap()["name"], "v1");
    #[expect(deprecated)]
    let sorted = ListPetsParams::new("s").legacy_sort("name");
    #[expect(deprecated)]
    let sort = sorted.legacy_sort.as_deref();
    assert_eq!(sort, Some("name"));
    // Without a discriminator: the fixed `type` of each member decides, not the order.
    let events: Vec<features_client::types::Event> = serde_json::from_value(serde_json::json!([
        {"type": "deleted", "id": "1", "hard": true},
        {"type": "created", "id": "2"},
        {"type": "archived", "id": "3"}
    ]))
    .unwrap();
    assert!(matches!(&events[0], features_client::types::Event::Deleted(e) if e.hard == Some(true)), "{events:?}");
    assert!(matches!(&events[1], features_client::types::Event::Created(e) if e.id == "2"), "{events:?}");
    assert!(matches!(&events[2], features_client::types::Event::Other(v) if v["type"] == "archived"), "{events:?}");

    // A base that others extend decodes into the one its `kind` names.
    use features_client::types::Animal;
    let animals: Vec<Animal> = serde_json::from_value(serde_json::json!([
        {"kind": "bird", "name": "b", "wingspan": 1.5},
        {"kind": "Fish", "name": "f", "fins": 2},
        {"kind": "Animal", "name": "a"},
        {"kind": "Unicorn", "name": "u"}
    ]))
    .unwrap();
    assert!(matches!(&animals[0], Animal::Bird(b) if b.wingspan == Some(1.5)), "{animals:?}");
    assert!(matches!(&animals[1], Animal::Fish(f) if f.fins == 2), "{animals:?}");
    assert!(matches!(&animals[2], Animal::Base(a) if a.name == "a"), "{animals:?}");
    assert!(matches!(&animals[3], Animal::Other(v) if v["kind"] == "Unicorn"), "{animals:?}");
    assert!(serde_json::from_value::<Animal>(serde_json::json!({"kind": "Fish", "name": "no fins"})).is_err());
    // A member built on its own carries its copy of `kind`, empty or stale: the variant
    // decides what is sent.
    let fish = features_client::types::Fish::new("", "Nemo", 3);
    assert_eq!(serde_json::to_value(Animal::Fish(Box::new(fish))).unwrap()["kind"], "Fish");
    let bird = features_client::types::Bird::new("Fish", "Tweety");
    assert_eq!(serde_json::to_value(Animal::Bird(Box::new(bird))).unwrap()["kind"], "bird");

    // Integer tags are matched as numbers; a string "2" is not 2.
    use features_client::types::Component;
    let components: Vec<Component> = serde_json::from_value(serde_json::json!([
        {"type": 4, "value": "v"},
        {"type": 2, "label": "ok"},
        {"type": "2", "label": "string"},
        {"type": 9}
    ]))
    .unwrap();
    assert!(matches!(&components[0], Component::TextInput(t) if t.value.as_deref() == Some("v")), "{components:?}");
    assert!(matches!(&components[1], Component::Type2(b) if b.label == "ok"), "{components:?}");
    assert!(matches!(&components[2], Component::Other(_)), "{components:?}");
    assert!(matches!(&components[3], Component::Other(_)), "{components:?}");
    assert_eq!(serde_json::to_value(&components[1]).unwrap(), serde_json::json!({"type": 2, "label": "ok"}));

    let created = client.create_pet(&listed[2]).await.unwrap();
    assert!(matches!(&created, Shape::Square(s) if s.side == 2.0), "{created:?}");
    let sent = &server.received_requests().await.unwrap()[1];
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body, serde_json::json!({"petType": "dog", "name": "Rex", "good": true}));

    // Multipart: files with names and media types, text, repeated parts, JSON parts.
    let mut upload = UploadPhotoBody::new("A \"cat\"", Upload::new(vec![0u8, 159, 146, 150]).file_name("cat.png").content_type("image/png"));
    upload.thumbnails = Some(vec![Upload::from(&b"t1"[..]), Upload::from(&b"t2"[..])]);
    upload.tags = Some(vec!["x".into(), "y".into()]);
    upload.rating = Some(5);
    upload.meta = Some(features_client::types::Meta::default().with_camera("z"));
    upload.sketch = Some(Upload::from(&b"<svg/>"[..]));
    client.upload_photo("a/b", &upload).await.unwrap();
    let sent = &server.received_requests().await.unwrap()[2];
    let content_type = sent.headers.get("content-type").unwrap().to_str().unwrap().to_owned();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(&content_type);
    let expected = [
        "Content-Disposition: form-data; name=\"caption\"\r\nContent-Type: text/markdown\r\n\r\nA \"cat\"".as_bytes().to_vec(),
        [&b"Content-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n"[..], &[0u8, 159, 146, 150]].concat(),
        b"Content-Disposition: form-data; name=\"thumbnails\"; filename=\"thumbnails\"\r\nContent-Type: image/jpeg\r\n\r\nt1".to_vec(),
        b"Content-Disposition: form-data; name=\"thumbnails\"; filename=\"thumbnails\"\r\nContent-Type: image/jpeg\r\n\r\nt2".to_vec(),
        b"Content-Disposition: form-data; name=\"tags\"\r\n\r\nx".to_vec(),
        b"Content-Disposition: form-data; name=\"tags\"\r\n\r\ny".to_vec(),
        b"Content-Disposition: form-data; name=\"rating\"\r\n\r\n5".to_vec(),
        b"Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"camera\":\"z\"}".to_vec(),
        b"Content-Disposition: form-data; name=\"sketch\"; filename=\"sketch\"\r\nContent-Type: image/svg+xml\r\n\r\n<svg/>".to_vec(),
    ];
    let mut want = Vec::new();
    for part in &expected {
        want.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        want.extend_from_slice(part);
        want.extend_from_slice(b"\r\n");
    }
    want.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(String::from_utf8_lossy(&sent.body), String::from_utf8_lossy(&want));
    assert_eq!(sent.body, want);

    // A component named `Error` is `types::Error`, the body of the client's `Error`.
    Mock::given(method("POST")).and(path("/pets/big/photos"))
        .respond_with(ResponseTemplate::new(413).set_body_json(serde_json::json!({"message": "too large"})))
        .mount(&server).await;
    let err = client.upload_photo("big", &upload).await.unwrap_err();
    let Some(features_client::UploadPhotoError::PayloadTooLarge(body)) = err.api_error() else {
        panic!("{err:?}")
    };
    let body: &features_client::types::Error = body;
    assert_eq!(body.message, "too large");

    // Integers with named values: constants, any other value kept; string constants an enum.
    use features_client::types::{ContentLevel, Priority, Tone};
    Mock::given(method("GET")).and(path("/settings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"level": 3, "priority": 7, "tone": "warm"})))
        .mount(&server).await;
    let params = features_client::GetSettingsParams::default().level(ContentLevel::AGE_RESTRICTED);
    let settings = client.get_settings(&params).await.unwrap();
    let sent = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(sent.url.query(), Some("level=3"));
    assert_eq!(settings.level, Some(ContentLevel::AGE_RESTRICTED));
    assert!(matches!(settings.level, Some(ContentLevel::AGE_RESTRICTED)));
    assert_eq!(format!("{:?}", settings.level.unwrap()), "ContentLevel::AGE_RESTRICTED");
    let priority = settings.priority.unwrap();
    assert_eq!((priority.0, priority.name()), (7, None), "an unnamed value decodes");
    assert_eq!(format!("{priority:?}"), "Priority(7)");
    assert_eq!(Priority::HIGH.name(), Some("HIGH"));
    assert_eq!(Priority::from(2), Priority::NORMAL);
    assert_eq!(settings.tone, Some(Tone::Warm));
    assert_eq!(
        serde_json::to_value(&settings).unwrap(),
        serde_json::json!({"level": 3, "priority": 7, "tone": "warm"})
    );
    println!("features: all checks passed");
}
