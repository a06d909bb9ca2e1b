//! Helpers of the behavioural suite: a real server and real HTTP clients ([`crate::http`]).

use chaski_core::change::{Change, ChangeOp};
use chaski_core::hlc::Hlc;
use chaski_server::{RunningServer, Storage, devices, units};
use chaski_wire::{EnrollRequest, PushRequest, PushResponse};

use crate::http::{Api, Http, TransportError};
use uuid::Uuid;

pub struct Ctx {
    pub server: RunningServer,
    pub storage: Storage,
    pub backend: &'static str,
    pub http: Http,
}

pub struct Dev {
    pub id: Uuid,
    pub unit: String,
    pub token: String,
    pub t: Api,
}

impl Ctx {
    pub async fn start(storage: Storage, backend: &'static str) -> Self {
        storage.migrate().await.expect("migrate");
        let server = RunningServer::start(storage.clone()).await.expect("bind");
        let http = Http::new(&server.base_url());
        Self {
            server,
            storage,
            backend,
            http,
        }
    }

    pub async fn stop(self) {
        self.server.stop().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    pub async fn add_unit(&self, code: &str, central: bool) {
        let c = code.to_string();
        self.storage
            .run(move |tx| units::add_unit(tx, &c, "Unidad de prueba", central))
            .await
            .expect("add unit");
    }

    pub async fn enrolment_code(&self, unit: &str) -> String {
        let code = chaski_server::secrets::new_enrolment_code();
        let (c, u) = (code.clone(), unit.to_string());
        self.storage
            .run(move |tx| devices::add_enrolment(tx, &u, &c, 60_000))
            .await
            .expect("enrolment code");
        code
    }

    pub fn transport(&self) -> Api {
        Api::new(self.http.clone())
    }

    pub async fn device(&self, unit: &str) -> Dev {
        let code = self.enrolment_code(unit).await;
        let t = self.transport();
        let id = Uuid::now_v7();
        let resp = t
            .enroll(&EnrollRequest {
                code,
                device_id: id,
                device_name: "PC-PRUEBA".into(),
                last_device_seq: None,
                unit: None,
            })
            .await
            .expect("enroll");
        assert_eq!(resp.unit, unit);
        Dev {
            id,
            unit: unit.to_string(),
            token: resp.token,
            t,
        }
    }
}

impl Dev {
    pub fn change(
        &self,
        seq: u64,
        entity_id: Uuid,
        fields: serde_json::Value,
        wall_ms: u64,
    ) -> Change {
        change_for(self.id, &self.unit, seq, entity_id, fields, wall_ms)
    }

    pub async fn push(&self, changes: Vec<Change>) -> PushResponse {
        self.t
            .push(
                &self.token,
                &PushRequest {
                    pulled_through: Default::default(),
                    changes,
                },
            )
            .await
            .expect("push")
    }

    pub async fn push_err(&self, changes: Vec<Change>) -> (u16, String) {
        match self
            .t
            .push(
                &self.token,
                &PushRequest {
                    pulled_through: Default::default(),
                    changes,
                },
            )
            .await
        {
            Ok(r) => panic!("push should fail, got {r:?}"),
            Err(TransportError::Api { status, error }) => (status, error.code),
            Err(e) => panic!("unexpected error {e:?}"),
        }
    }
}

pub fn change_for(
    device: Uuid,
    unit: &str,
    seq: u64,
    entity_id: Uuid,
    fields: serde_json::Value,
    wall_ms: u64,
) -> Change {
    let fields = match fields {
        serde_json::Value::Object(m) => m,
        other => panic!("fields must be an object, got {other}"),
    };
    Change {
        change_id: Uuid::now_v7(),
        device_id: device,
        device_seq: seq,
        unit: unit.to_string(),
        entity: "note".into(),
        entity_id,
        op: ChangeOp::Upsert,
        fields,
        hlc: Hlc {
            wall_ms,
            counter: 0,
            device,
        },
        created_at: chrono::Utc::now(),
    }
}
