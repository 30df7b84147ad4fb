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

/// AIOps action tiers (catalog §4.6): what the worst thing an identity can do is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Tier {
    /// Query telemetry.
    T0,
    /// Open tickets, page people.
    T1,
    /// Restart, scale, fail over.
    T2,
    /// Change configuration, code or data.
    T3,
    /// Read, rotate or mint credentials.
    T4,
    /// Change IAM or RBAC.
    T5,
    /// Delete resources, stop logging, or everything.
    T6,
}

impl Tier {
    pub fn of(classes: &[PrivilegeClass]) -> Tier {
        classes
            .iter()
            .map(|c| match c {
                PrivilegeClass::Admin | PrivilegeClass::InfraDestruction => Tier::T6,
                PrivilegeClass::Privesc | PrivilegeClass::IamModification => Tier::T5,
                PrivilegeClass::CredExposure => Tier::T4,
                PrivilegeClass::Operate => Tier::T2,
                PrivilegeClass::Observe => Tier::T0,
            })
            .max()
            .unwrap_or(Tier::T0)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Tier::T0 => "T0 observe",
            Tier::T1 => "T1 notify",
            Tier::T2 => "T2 operate",
            Tier::T3 => "T3 change",
            Tier::T4 => "T4 credentials",
            Tier::T5 => "T5 authorize",
            Tier::T6 => "T6 destroy / full control",
        }
    }
}

/// How long a leaked credential of the identity stays usable (catalog §4.5 lifetime factor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lifetime {
    /// Issued per run or per pod, expiring within the hour (OIDC federation, bound tokens).
    ShortLived,
    /// Sessions that last hours.
    LongSession,
    /// Static keys, passwords, non-expiring token Secrets: valid until someone revokes them.
    Static,
}

impl Lifetime {
    pub fn factor(self) -> f64 {
        match self {
            Lifetime::ShortLived => 0.4,
            Lifetime::LongSession => 0.7,
            Lifetime::Static => 1.0,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Lifetime::ShortLived => "short-lived",
            Lifetime::LongSession => "long session",
            Lifetime::Static => "static (never expires)",
        }
    }
}

/// How far a grant applies (catalog §4.5 scope factor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    NamedResources,
    Namespace,
    Account,
    Organization,
}

impl Scope {
    pub fn factor(self) -> f64 {
        match self {
            Scope::NamedResources => 0.3,
            Scope::Namespace => 0.5,
            Scope::Account => 0.8,
            Scope::Organization => 1.0,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Scope::NamedResources => "named resources",
            Scope::Namespace => "one namespace",
            Scope::Account => "account / cluster",
            Scope::Organization => "organization",
        }
    }
}

pub fn class_weight(c: Option<PrivilegeClass>) -> f64 {
    match c {
        Some(PrivilegeClass::Admin) => 10.0,
        Some(PrivilegeClass::Privesc | PrivilegeClass::IamModification) => 9.0,
        Some(PrivilegeClass::CredExposure) => 8.0,
        Some(PrivilegeClass::InfraDestruction) => 7.0,
        Some(PrivilegeClass::Operate) => 4.0,
        Some(PrivilegeClass::Observe) => 1.0,
        None => 0.0,
    }
}

/// The blast-radius score of catalog §4.5 with each factor, for reports that show *why*.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlastRadius {
    pub score: f64,
    pub class_weight: f64,
    pub scope: f64,
    pub reach: f64,
    pub lifetime: f64,
    pub reuse: f64,
}

impl BlastRadius {
    pub fn new(
        top: Option<PrivilegeClass>,
        scope: Scope,
        reach: f64,
        lifetime: Lifetime,
        consumers: usize,
    ) -> BlastRadius {
        let class_weight = class_weight(top);
        let reuse = (1.0 + 0.1 * (consumers.max(1) as f64 - 1.0)).min(1.5);
        let raw = class_weight * scope.factor() * reach * lifetime.factor() * reuse;
        BlastRadius {
            score: (raw * 100.0).round() / 100.0,
            class_weight,
            scope: scope.factor(),
            reach,
            lifetime: lifetime.factor(),
            reuse: (reuse * 100.0).round() / 100.0,
        }
    }
}

/// Who may obtain a cloud identity, one trust-policy statement at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct TrustEntry {
    pub kind: TrustKind,
    /// The principal (`ec2.amazonaws.com`, an account, an OIDC issuer host).
    pub principal: String,
    /// `sub` patterns the trust accepts (OIDC), with where they are written.
    pub subs: Vec<(String, std::sync::Arc<crate::finding::Site>)>,
    /// The `sub` condition uses a `*Like` operator (wildcards are live).
    pub like: bool,
    pub site: std::sync::Arc<crate::finding::Site>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrustKind {
    /// An AWS service (`lambda.amazonaws.com`).
    Service,
    /// An account root or an IAM principal of an account.
    Account,
    /// Any principal (`*`).
    Anyone,
    GithubOidc,
    GitlabOidc,
    /// A Kubernetes cluster's service-account issuer (EKS IRSA).
    KubernetesOidc,
    OtherOidc,
    Saml,
}

/// A cloud identity of one unit, summarised (with resolved sites) for the scan-wide graph.
#[derive(Clone, Debug, PartialEq)]
pub struct CloudIdentity {
    /// `aws`, `gcp`, `azure`.
    pub provider: &'static str,
    /// `role`, `user`, `group`, `service account`...
    pub kind: &'static str,
    /// Logical address (`aws_iam_role.runner`).
    pub address: String,
    pub name: Option<String>,
    pub site: std::sync::Arc<crate::finding::Site>,
    pub classes: Vec<PrivilegeClass>,
    /// The grant behind the highest class, to point at.
    pub grant: Option<(std::sync::Arc<crate::finding::Site>, String)>,
    /// One grant per class it holds, highest first: the class, where, what.
    pub grants: Vec<(PrivilegeClass, std::sync::Arc<crate::finding::Site>, String)>,
    /// Compute that runs as it (a Lambda function, an ECS task): what, where.
    pub used_by: Vec<(String, std::sync::Arc<crate::finding::Site>)>,
    /// Addresses of the resources that make it up (the principal, its policies and keys),
    /// to attribute findings to it.
    pub addresses: Vec<String>,
    pub scope: Scope,
    pub trust: Vec<TrustEntry>,
    pub lifetime: Lifetime,
    /// Static credentials minted for it (access keys).
    pub static_keys: Vec<std::sync::Arc<crate::finding::Site>>,
    /// Kubernetes ServiceAccounts bound to it outside annotations (EKS Pod Identity):
    /// namespace, name, where.
    pub pod_identities: Vec<(String, String, std::sync::Arc<crate::finding::Site>)>,
    /// `detect`, `recommend` or `execute`, from a `nhiaudit:function` tag.
    pub function: Option<String>,
    /// Other names a value may use for it: a GCP service account's email (and its
    /// `account_id@` prefix, for emails whose project is not known).
    pub aliases: Vec<String>,
}

impl CloudIdentity {
    /// `AWS`, `Google Cloud`, `Azure`.
    pub fn provider_name(&self) -> &'static str {
        match self.provider {
            "aws" => "AWS",
            "gcp" => "Google Cloud",
            "azure" => "Azure",
            _ => "cloud",
        }
    }
}
