//! Input-independent facts. Every fact carries its span and a logical address; rules read
//! facts, never syntax, so one rule covers every source that produces the fact.

pub mod aws;
pub mod aws_actions;
pub mod cloud;
pub mod credentials;
pub mod iam;
pub mod identity;
pub mod pipeline;
pub mod rbac;

use aws::{
    AccessKey, Attachment, AwsPrincipal, InstanceMetadata, LoginProfile, ManagedSecret,
    OidcProvider, RoleUse, SecretRotation, StaticKeyConfig,
};
use credentials::SecretLiteral;
use iam::PolicyDocument;

/// Everything one unit of work (a Terraform module, a policy file, ...) says about identities.
#[derive(Debug, Default)]
pub struct Facts {
    pub policies: Vec<PolicyDocument>,
    pub principals: Vec<AwsPrincipal>,
    pub access_keys: Vec<AccessKey>,
    pub login_profiles: Vec<LoginProfile>,
    pub attachments: Vec<Attachment>,
    pub oidc_providers: Vec<OidcProvider>,
    pub secrets: Vec<SecretLiteral>,
    pub static_key_configs: Vec<StaticKeyConfig>,
    /// Compute resources that run as an IAM role.
    pub role_uses: Vec<RoleUse>,
    /// EC2 compute with an instance profile, and its metadata-service settings.
    pub instance_metadata: Vec<InstanceMetadata>,
    /// Secrets Manager secrets, and the rotations configured for them.
    pub managed_secrets: Vec<ManagedSecret>,
    pub secret_rotations: Vec<SecretRotation>,
    pub pod_identities: Vec<aws::PodIdentity>,
    /// GCP, Azure, GitHub and GitLab provider facts.
    pub cloud: cloud::CloudFacts,
    pub k8s: rbac::K8sFacts,
    pub pipelines: pipeline::PipelineFacts,
    /// AWS accounts known to be the scanner user's own (from `--own-accounts` and providers'
    /// `allowed_account_ids`).
    pub own_accounts: Vec<String>,
    /// The privilege-escalation methods of each principal, worked out once the unit's facts
    /// are complete (see `rules::iam_policy::principal_methods`).
    pub escalation: EscalationCache,
}

/// Per principal (indexed like [`Facts::principals`]), the escalation methods its policies
/// grant in full: the graph and two rules ask, and the answer costs a pass over every
/// method and statement.
#[derive(Debug, Default)]
pub struct EscalationCache(pub std::sync::OnceLock<Vec<Vec<&'static aws_actions::PrivescMethod>>>);

impl Facts {
    /// Indices of the principals a policy document reaches.
    pub fn principals_using(&self, policy: usize) -> impl Iterator<Item = usize> + '_ {
        self.principals
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.policies.contains(&policy))
            .map(|(i, _)| i)
    }
}
