//! Input-independent vocabulary for what an identity can do: privilege classes (catalog §4).

use serde::Serialize;

/// What a grant lets an identity do, from most to least dangerous.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PrivilegeClass {
    /// Wildcard or full control.
    Admin,
    /// Can obtain more privilege than granted.
    Privesc,
    /// Changes who can do what.
    IamModification,
    /// Reads secrets or mints credentials.
    CredExposure,
    /// Deletes or disables resources, including defence evasion.
    InfraDestruction,
    /// Reversible operational changes (restart, scale).
    Operate,
    /// Reads telemetry.
    Observe,
}

impl PrivilegeClass {
    pub fn as_str(self) -> &'static str {
        match self {
            PrivilegeClass::Admin => "ADMIN",
            PrivilegeClass::Privesc => "PRIVESC",
            PrivilegeClass::IamModification => "IAM_MODIFICATION",
            PrivilegeClass::CredExposure => "CRED_EXPOSURE",
            PrivilegeClass::InfraDestruction => "INFRA_DESTRUCTION",
            PrivilegeClass::Operate => "OPERATE",
            PrivilegeClass::Observe => "OBSERVE",
        }
    }
}
