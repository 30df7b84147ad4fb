//! AWS identities as Terraform (or another source) defines them: users, roles and groups with
//! the policies that reach them, and the long-lived credentials minted for them.

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    User,
    Role,
    Group,
}

impl PrincipalKind {
    pub fn noun(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Role => "role",
            PrincipalKind::Group => "group",
        }
    }
}

/// An IAM user, role or group.
#[derive(Clone, Debug, PartialEq)]
pub struct AwsPrincipal {
    pub kind: PrincipalKind,
    /// `aws_iam_role.deployer`.
    pub address: String,
    /// The `name` attribute when known.
    pub name: Option<String>,
    /// The declaration (resource block header).
    pub span: Span,
    /// Index of its trust policy in `Facts::policies` (roles).
    pub trust: Option<usize>,
    /// Identity policies that apply: inline and attached customer-managed, by index.
    pub policies: Vec<usize>,
    /// AWS-managed (or otherwise unresolved) policy ARNs attached, with where they are attached.
    pub managed: Vec<AttachedArn>,
    /// Groups a user belongs to (indices into `Facts::principals`).
    pub groups: Vec<usize>,
    /// A permissions boundary is set (it may remove what the policies grant).
    pub has_boundary: bool,
    /// The `nhiaudit:function` tag (`detect`, `recommend`, `execute`), for separation-of-duties
    /// checks.
    pub function: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AttachedArn {
    pub arn: String,
    /// The attachment (the `policy_arn` value or the `managed_policy_arns` entry).
    pub span: Span,
    /// Logical address of the attaching resource.
    pub via: String,
}

/// A static access key (`aws_iam_access_key`).
#[derive(Clone, Debug, PartialEq)]
pub struct AccessKey {
    pub address: String,
    pub span: Span,
    /// Index of the user in `Facts::principals`, when resolved.
    pub user: Option<usize>,
    /// How the user was written, for messages.
    pub user_text: String,
    pub inactive: bool,
    /// Encrypted with `pgp_key` (otherwise the secret sits in state in clear).
    pub pgp: bool,
}

/// A console password (`aws_iam_user_login_profile`).
#[derive(Clone, Debug, PartialEq)]
pub struct LoginProfile {
    pub address: String,
    pub span: Span,
    pub user: Option<usize>,
    pub user_text: String,
    pub pgp: bool,
}

/// A policy attached to a user, role or group, by whatever resource attaches it.
#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    /// The principal, when the target could be resolved.
    pub principal: Option<usize>,
    /// The target as written (`aws_iam_role.ci.name`, `"deployer"`, `var.role`).
    pub target_text: String,
    /// The policy document, when it is defined in the scan.
    pub policy: Option<usize>,
    /// The policy ARN when it is not defined in the scan (AWS-managed or foreign).
    pub arn: Option<String>,
    /// The `policy_arn` value (or list entry).
    pub span: Span,
    /// The attaching resource (`aws_iam_role_policy_attachment.x`).
    pub via: String,
}

/// An OIDC identity provider registered in IAM (`aws_iam_openid_connect_provider`).
#[derive(Clone, Debug, PartialEq)]
pub struct OidcProvider {
    pub address: String,
    /// Issuer host and path without scheme (`token.actions.githubusercontent.com`).
    pub host: String,
    /// Audiences the provider accepts.
    pub client_ids: Vec<String>,
}

/// A Secrets Manager secret and what rotates it.
#[derive(Clone, Debug, PartialEq)]
pub struct ManagedSecret {
    pub address: String,
    pub header: Span,
    /// Rotation configured on the secret itself (the older `rotation_rules` /
    /// `rotation_lambda_arn` arguments).
    pub rotated_inline: Option<Option<(u64, Span)>>,
}

/// An `aws_secretsmanager_secret_rotation`.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretRotation {
    /// The rotated secret's address (`aws_secretsmanager_secret.db`), when the reference
    /// resolves to a secret of the scan.
    pub secret: Option<String>,
    /// `rotation_rules.automatically_after_days`, when known.
    pub days: Option<(u64, Span)>,
}

/// An EC2 instance (or launch template / configuration) that runs with an instance profile,
/// and how its metadata service hands the profile's credentials out.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceMetadata {
    pub address: String,
    /// `EC2 instance`, `launch template`, `launch configuration`, `spot instance request`.
    pub kind: &'static str,
    /// The resource header.
    pub header: Span,
    /// The `iam_instance_profile` attribute or block.
    pub profile: Span,
    /// The `metadata_options` block, when written.
    pub options: Option<Span>,
    /// `http_tokens` as written (`optional`, `required`), with its value's span; `None` when
    /// it is not set, and an empty string when its value cannot be known.
    pub tokens: Option<(String, Span)>,
    /// `http_endpoint = "disabled"`: no metadata service at all.
    pub endpoint_disabled: bool,
}

/// A workload configured to authenticate with static AWS keys (written into its user data or
/// copied in by a provisioner) instead of using the role of an instance profile.
#[derive(Clone, Debug, PartialEq)]
pub struct StaticKeyConfig {
    /// The text that configures the keys (`AWS_ACCESS_KEY_ID=`, `~/.aws/credentials`).
    pub span: Span,
    /// The resource or module block.
    pub address: String,
    pub declared: Span,
    /// `user data`, `remote-exec provisioner`, `file provisioner`.
    pub how: &'static str,
}

/// Compute that runs with a role's permissions (a Lambda function, an ECS task, an instance
/// through its profile, a CodeBuild project...): whoever controls its code holds the role.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleUse {
    /// The workload (`aws_lambda_function.api`).
    pub address: String,
    /// The attribute naming the role (`role = aws_iam_role.x.arn`).
    pub span: Span,
    /// The role, when resolved (index into `Facts::principals`).
    pub role: Option<usize>,
    /// What kind of compute (`Lambda function`, `ECS task`...).
    pub kind: &'static str,
}

/// An EKS Pod Identity association: a Kubernetes ServiceAccount that becomes an IAM role.
#[derive(Clone, Debug, PartialEq)]
pub struct PodIdentity {
    pub namespace: String,
    pub service_account: String,
    pub role: Option<usize>,
    pub span: Span,
}
