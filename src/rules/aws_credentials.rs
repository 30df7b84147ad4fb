//! Rules about standing AWS credentials: static access keys, console passwords on IAM users,
//! and keys or secrets written in clear in providers, compute environments and user data.

use super::iam_policy::principal_is_powerful;
use super::{Cx, Rule};
use crate::finding::{Confidence, Hit, Severity};
use crate::model::credentials::{SecretKind, SecretPlace};
use crate::model::identity::PrivilegeClass;

pub struct AccessKey;

impl Rule for AccessKey {
    fn id(&self) -> &'static str {
        "aws-iam-access-key"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let facts = cx.facts;
        for k in facts.access_keys.iter().filter(|k| !k.inactive) {
            let user = k.user.and_then(|u| facts.principals.get(u));
            let who = user
                .map(|u| {
                    u.name
                        .clone()
                        .filter(|n| !n.trim().is_empty())
                        .unwrap_or_else(|| u.address.clone())
                })
                .unwrap_or_else(|| {
                    if k.user_text.is_empty() {
                        "an IAM user".into()
                    } else {
                        k.user_text.clone()
                    }
                });
            let mut msg = format!(
                "static access key for IAM user {who}: a long-lived credential that never expires"
            );
            let siblings = facts
                .access_keys
                .iter()
                .filter(|o| !o.inactive && o.user.is_some() && o.user == k.user)
                .count();
            if siblings > 1 {
                msg.push_str(&format!(" (the user has {siblings} active keys)"));
            }
            if !k.pgp {
                msg.push_str(
                    "; without pgp_key the secret is stored in clear in the Terraform state",
                );
            }
            let mut h = Hit::new(self.id(), k.span, &k.address, msg).label("static key");
            if let (Some(u), Some(ui)) = (user, k.user) {
                if principal_is_powerful(facts, ui) {
                    h = h.severity(Severity::Critical);
                    h.message.push_str(" (the user can administer or escalate)");
                    h.classes = vec![PrivilegeClass::Admin];
                }
                h = h.related(u.span, format!("user {}", u.address));
            }
            out.push(h);
        }
    }
}

pub struct UserConsoleAccess;

impl Rule for UserConsoleAccess {
    fn id(&self) -> &'static str {
        "aws-iam-user-console-access"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let facts = cx.facts;
        for lp in &facts.login_profiles {
            let user = lp.user.and_then(|u| facts.principals.get(u));
            let has_key = lp.user.is_some()
                && facts
                    .access_keys
                    .iter()
                    .any(|k| !k.inactive && k.user == lp.user);
            let name = user
                .and_then(|u| u.name.clone())
                .filter(|n| !n.trim().is_empty())
                .or_else(|| user.map(|u| u.address.clone()))
                .unwrap_or_else(|| lp.user_text.clone());
            let machine = looks_like_machine(&name);
            let (primary, address) = match user {
                Some(u) => (u.span, u.address.clone()),
                None => (lp.span, lp.address.clone()),
            };
            let msg = if has_key {
                format!(
                    "IAM user {name} has both a console password and an access key: one identity used by people and by automation"
                )
            } else if machine {
                format!("IAM user {name} looks like a machine identity but has a console password")
            } else {
                format!(
                    "IAM user {name} has a console password: a long-lived password outside single sign-on"
                )
            };
            let mut h = Hit::new(self.id(), primary, address, msg)
                .label("console password")
                .related(lp.span, "login profile");
            if has_key || machine {
                h = h.severity(Severity::Medium);
            }
            out.push(h);
        }
    }
}

/// Names that say "automation" (`svc-`, `ci_`, `deploy-bot`).
fn looks_like_machine(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    const PREFIXES: &[&str] = &[
        "svc",
        "sa",
        "bot",
        "ci",
        "cd",
        "deploy",
        "automation",
        "service",
        "robot",
        "terraform",
        "jenkins",
        "github",
        "gitlab",
    ];
    PREFIXES.iter().any(|p| {
        n.strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(['-', '_', '.']))
    }) || n.ends_with("-bot")
        || n.ends_with("_bot")
        || n.ends_with("-svc")
}

pub struct ProviderStaticCredentials;

impl Rule for ProviderStaticCredentials {
    fn id(&self) -> &'static str {
        "aws-provider-static-credentials"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for s in cx
            .facts
            .secrets
            .iter()
            .filter(|s| s.place == SecretPlace::ProviderBlock)
        {
            let mut h = Hit::new(
                self.id(),
                s.span,
                &s.address,
                format!(
                    "{} written in `{}` of {}",
                    s.kind.describe(),
                    s.key,
                    s.address
                ),
            )
            .label("hard-coded credential");
            if !s.strong {
                h = h.confidence(Confidence::Medium);
            }
            out.push(h);
        }
    }
}

pub struct PlaintextSecretInCompute;

impl Rule for PlaintextSecretInCompute {
    fn id(&self) -> &'static str {
        "aws-plaintext-secret-in-compute"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for s in cx
            .facts
            .secrets
            .iter()
            .filter(|s| matches!(s.place, SecretPlace::ComputeEnv | SecretPlace::UserData))
        {
            let place = match s.place {
                SecretPlace::UserData => "user data",
                _ => "environment variable",
            };
            let what = if s.kind == SecretKind::NamedSecret {
                format!("literal value under secret-like name `{}`", s.key)
            } else {
                s.kind.describe().to_owned()
            };
            let mut h = Hit::new(
                self.id(),
                s.span,
                &s.address,
                format!("{what} in clear in the {place} of {}", s.address),
            )
            .label("plaintext secret");
            if !s.strong {
                h = h.severity(Severity::High).confidence(
                    if s.kind == SecretKind::AwsSecretAccessKey {
                        Confidence::Low
                    } else {
                        Confidence::Medium
                    },
                );
            }
            out.push(h);
        }
    }
}

pub struct WorkloadStaticKeys;

impl Rule for WorkloadStaticKeys {
    fn id(&self) -> &'static str {
        "aws-ec2-static-credentials"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for k in &cx.facts.static_key_configs {
            out.push(
                Hit::new(
                    self.id(),
                    k.span,
                    &k.address,
                    format!(
                        "{} configures static AWS access keys through its {}; use the role of an instance profile instead",
                        k.address, k.how
                    ),
                )
                .label("static AWS keys")
                .context(k.declared),
            );
        }
    }
}

pub struct WorkloadPrivilegedRole;

impl Rule for WorkloadPrivilegedRole {
    fn id(&self) -> &'static str {
        "aws-workload-privileged-role"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let facts = cx.facts;
        for u in &facts.role_uses {
            let Some((ri, role)) = u.role.and_then(|r| Some((r, facts.principals.get(r)?))) else {
                continue;
            };
            let docs = super::iam_policy::principal_docs(facts, role);
            let admin = super::iam_policy::grants_admin(facts, &docs)
                || role
                    .managed
                    .iter()
                    .any(|m| m.arn.ends_with(":policy/AdministratorAccess"));
            let methods = super::iam_policy::principal_methods(facts, ri);
            if !admin && methods.is_empty() {
                continue;
            }
            let what = if admin {
                "full administrator rights".to_owned()
            } else {
                let names: Vec<&str> = methods.iter().take(3).map(|m| m.name).collect();
                format!("privilege-escalation paths ({})", names.join(", "))
            };
            let name = role.name.as_deref().unwrap_or(&role.address);
            out.push(
                Hit::new(
                    self.id(),
                    u.span,
                    &u.address,
                    format!(
                        "{} {} runs as role {name}, which holds {what}: whoever controls its code or configuration holds them too",
                        u.kind, u.address
                    ),
                )
                .label("privileged execution role")
                .severity(if admin { Severity::Critical } else { Severity::High })
                .related(role.span, format!("role {}", role.address))
                .classes(vec![if admin { PrivilegeClass::Admin } else { PrivilegeClass::Privesc }]),
            );
        }
    }
}

/// Any other credential written in Terraform (not AWS-specific: database and VM admin
/// passwords, client secrets, API tokens, secret-store values, private keys).
pub struct TerraformHardcodedCredential;

impl Rule for TerraformHardcodedCredential {
    fn id(&self) -> &'static str {
        "tf-hardcoded-credential"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for s in cx
            .facts
            .secrets
            .iter()
            .filter(|s| s.place == SecretPlace::TerraformAttribute)
        {
            let what = if s.kind == SecretKind::NamedSecret {
                format!("literal value of `{}`", s.key)
            } else {
                format!("{} in `{}`", s.kind.describe(), s.key)
            };
            let mut h = Hit::new(
                self.id(),
                s.span,
                &s.address,
                format!(
                    "{what} is written in the configuration of {}: it is in version control and in every state file",
                    s.address
                ),
            )
            .label("hard-coded credential");
            if s.strong {
                h = h.severity(Severity::Critical);
            } else {
                h = h.confidence(Confidence::Medium);
            }
            out.push(h);
        }
    }
}

/// EC2 compute whose instance profile's credentials the metadata service hands out without a
/// session token (IMDSv1): one server-side request forgery in anything it runs is enough.
pub struct ImdsV1WithInstanceRole;

impl Rule for ImdsV1WithInstanceRole {
    fn id(&self) -> &'static str {
        "aws-imdsv1-with-instance-role"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        for m in &cx.facts.instance_metadata {
            if m.endpoint_disabled {
                continue;
            }
            let (primary, how, confidence) = match &m.tokens {
                Some((v, _)) if v == "required" => continue,
                // `var.x` without a default: cannot be decided.
                Some((v, _)) if v.is_empty() => continue,
                Some((v, span)) => (
                    *span,
                    format!("accepts IMDSv1 (`http_tokens = \"{v}\"`)"),
                    Confidence::High,
                ),
                None => (
                    m.options.unwrap_or(m.header),
                    "does not require IMDSv2 (`http_tokens` is not set: only the AMI or the account default can turn IMDSv1 off)".to_owned(),
                    Confidence::Medium,
                ),
            };
            out.push(
                Hit::new(
                    self.id(),
                    primary,
                    &m.address,
                    format!(
                        "{} {} runs with an instance profile and {how}: a server-side request forgery in anything it runs hands out the role's credentials",
                        m.kind, m.address
                    ),
                )
                .label("IMDSv1 allowed")
                .related(m.profile, "instance profile")
                .confidence(confidence),
            );
        }
    }
}

/// Days between rotations beyond which a rotation schedule is itself too slow.
const MAX_ROTATION_DAYS: u64 = 90;

/// A Secrets Manager secret that nothing rotates, or that rotates only every few months.
pub struct SecretRotationMissing;

impl Rule for SecretRotationMissing {
    fn id(&self) -> &'static str {
        "aws-secret-rotation-missing"
    }

    fn check(&self, cx: &Cx, out: &mut Vec<Hit>) {
        let facts = cx.facts;
        // A rotation whose secret cannot be resolved may be this one: nothing is decided.
        if facts.secret_rotations.iter().any(|r| r.secret.is_none()) {
            return;
        }
        let base = |a: &str| a.split('[').next().unwrap_or(a).to_owned();
        for s in &facts.managed_secrets {
            let me = base(&s.address);
            let rotations: Vec<&_> = facts
                .secret_rotations
                .iter()
                .filter(|r| r.secret.as_deref().map(&base).as_deref() == Some(me.as_str()))
                .collect();
            let schedule = match (&s.rotated_inline, rotations.first()) {
                (_, Some(r)) => Some(r.days),
                (Some(days), None) => Some(*days),
                (None, None) => None,
            };
            match schedule {
                None => out.push(
                    Hit::new(
                        self.id(),
                        s.header,
                        &s.address,
                        format!(
                            "Secrets Manager secret {} has no rotation: a leaked value stays valid until someone changes it by hand",
                            s.address
                        ),
                    )
                    .label("never rotated"),
                ),
                Some(Some((days, span))) if days > MAX_ROTATION_DAYS => out.push(
                    Hit::new(
                        self.id(),
                        span,
                        &s.address,
                        format!(
                            "Secrets Manager secret {} rotates only every {days} days (more than {MAX_ROTATION_DAYS})",
                            s.address
                        ),
                    )
                    .label("slow rotation")
                    .related(s.header, "secret"),
                ),
                Some(_) => {}
            }
        }
    }
}
