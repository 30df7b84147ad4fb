//! The rule registry: every rule is a small unit struct with a check over [`Facts`], listed
//! once here together with its metadata file from `rules/`.

pub mod aws_credentials;
pub mod azure;
pub mod ci;
pub mod ci_providers;
pub mod gcp;
pub mod gha;
pub mod gitlab;
pub mod graph;
pub mod iam_policy;
pub mod iam_trust;
pub mod k8s_rbac;
pub mod k8s_workloads;
pub mod meta;

use std::sync::OnceLock;

use crate::finding::Hit;
use crate::index::RbacIndex;
use crate::model::Facts;
use crate::source::Sources;
use meta::RuleMeta;

/// What a rule sees: the facts of one unit and its sources (for the rare rule that must read
/// text, such as a secret scan of user data).
pub struct Cx<'a> {
    pub facts: &'a Facts,
    pub sources: &'a Sources,
    /// The cross-file index: only for global rules, which run once over every unit's facts.
    pub rbac: Option<&'a RbacIndex<'a>>,
    /// The identity graph: only for global rules.
    pub graph: Option<&'a crate::graph::Graph>,
}

pub trait Rule: Sync + Send {
    fn id(&self) -> &'static str;
    /// Global rules need facts from several files (a binding in one, its role in another)
    /// and run once per scan; the others run per unit of work, in parallel.
    fn global(&self) -> bool {
        false
    }
    fn check(&self, cx: &Cx, out: &mut Vec<Hit>);
}

/// Every rule with its metadata text. The order is the order of `nhiaudit rules`.
static REGISTRY: &[(&dyn Rule, &str)] = &[
    (
        &iam_policy::AdminWildcard,
        include_str!("../../rules/iam-admin-wildcard.md"),
    ),
    (
        &iam_policy::ServiceWildcard,
        include_str!("../../rules/iam-service-wildcard-action.md"),
    ),
    (
        &iam_policy::AllowNotActionNotResource,
        include_str!("../../rules/iam-allow-notaction-notresource.md"),
    ),
    (
        &iam_policy::ManagedAdminPolicy,
        include_str!("../../rules/iam-managed-admin-policy.md"),
    ),
    (
        &iam_policy::PrivilegeEscalation,
        include_str!("../../rules/iam-privilege-escalation-combo.md"),
    ),
    (
        &iam_policy::PassRoleUnrestricted,
        include_str!("../../rules/iam-passrole-unrestricted.md"),
    ),
    (
        &iam_policy::PermissionsManagement,
        include_str!("../../rules/iam-permissions-management-unscoped.md"),
    ),
    (
        &iam_policy::CredentialMinting,
        include_str!("../../rules/iam-credential-minting-actions.md"),
    ),
    (
        &iam_policy::SecretRead,
        include_str!("../../rules/iam-secret-read-unscoped.md"),
    ),
    (
        &iam_policy::DestructiveActions,
        include_str!("../../rules/iam-destructive-actions-unscoped.md"),
    ),
    (
        &iam_trust::AnyPrincipal,
        include_str!("../../rules/trust-any-principal.md"),
    ),
    (
        &iam_trust::GithubOidcWeakSub,
        include_str!("../../rules/trust-github-oidc-weak-sub.md"),
    ),
    (
        &iam_trust::GitlabOidcWeakSub,
        include_str!("../../rules/trust-gitlab-oidc-weak-sub.md"),
    ),
    (
        &iam_trust::OidcMissingAud,
        include_str!("../../rules/trust-oidc-missing-aud.md"),
    ),
    (
        &iam_trust::EksIrsaWeakSub,
        include_str!("../../rules/trust-eks-irsa-weak-sub.md"),
    ),
    (
        &iam_trust::AccountRoot,
        include_str!("../../rules/trust-account-root.md"),
    ),
    (
        &iam_trust::CrossAccountNoExternalId,
        include_str!("../../rules/trust-cross-account-no-external-id.md"),
    ),
    (
        &iam_trust::TrustWildcardAction,
        include_str!("../../rules/trust-wildcard-action.md"),
    ),
    (
        &aws_credentials::AccessKey,
        include_str!("../../rules/aws-iam-access-key.md"),
    ),
    (
        &aws_credentials::UserConsoleAccess,
        include_str!("../../rules/aws-iam-user-console-access.md"),
    ),
    (
        &aws_credentials::ProviderStaticCredentials,
        include_str!("../../rules/aws-provider-static-credentials.md"),
    ),
    (
        &aws_credentials::PlaintextSecretInCompute,
        include_str!("../../rules/aws-plaintext-secret-in-compute.md"),
    ),
    (
        &aws_credentials::ImdsV1WithInstanceRole,
        include_str!("../../rules/aws-imdsv1-with-instance-role.md"),
    ),
    (
        &aws_credentials::SecretRotationMissing,
        include_str!("../../rules/aws-secret-rotation-missing.md"),
    ),
    (
        &aws_credentials::TerraformHardcodedCredential,
        include_str!("../../rules/tf-hardcoded-credential.md"),
    ),
    (
        &aws_credentials::WorkloadStaticKeys,
        include_str!("../../rules/aws-ec2-static-credentials.md"),
    ),
    (
        &aws_credentials::WorkloadPrivilegedRole,
        include_str!("../../rules/aws-workload-privileged-role.md"),
    ),
    (
        &gcp::UserManagedKey,
        include_str!("../../rules/gcp-sa-user-managed-key.md"),
    ),
    (
        &gcp::BasicRoleGranted,
        include_str!("../../rules/gcp-basic-role-granted.md"),
    ),
    (
        &gcp::ImpersonationRoleBroad,
        include_str!("../../rules/gcp-impersonation-role-broad.md"),
    ),
    (
        &gcp::DefaultComputeSaFullScope,
        include_str!("../../rules/gcp-default-compute-sa-full-scope.md"),
    ),
    (
        &gcp::GkeDefaultNodeSa,
        include_str!("../../rules/gcp-gke-default-node-sa.md"),
    ),
    (
        &gcp::WifProviderUnconditioned,
        include_str!("../../rules/gcp-wif-provider-unconditioned.md"),
    ),
    (
        &gcp::WifPoolWideBinding,
        include_str!("../../rules/gcp-wif-pool-wide-binding.md"),
    ),
    (
        &gcp::GkeLegacyAuth,
        include_str!("../../rules/gcp-gke-legacy-auth.md"),
    ),
    (
        &azure::PrivilegedRoleAssignment,
        include_str!("../../rules/az-privileged-role-assignment.md"),
    ),
    (
        &azure::CustomRoleWildcard,
        include_str!("../../rules/az-custom-role-wildcard.md"),
    ),
    (
        &azure::CredentialLongLived,
        include_str!("../../rules/az-credential-long-lived.md"),
    ),
    (
        &azure::KeyVaultItemNoExpiry,
        include_str!("../../rules/az-keyvault-item-no-expiry.md"),
    ),
    (
        &azure::LocalAuthEnabled,
        include_str!("../../rules/az-local-auth-enabled.md"),
    ),
    (
        &azure::FederatedCredentialBroadSubject,
        include_str!("../../rules/az-federated-credential-broad-subject.md"),
    ),
    (
        &azure::ProviderStaticCredentials,
        include_str!("../../rules/az-provider-static-credentials.md"),
    ),
    (
        &azure::WorkloadNoManagedIdentity,
        include_str!("../../rules/az-workload-no-managed-identity.md"),
    ),
    (
        &ci_providers::StaticCredentialInCiSecret,
        include_str!("../../rules/tfci-static-credential-in-ci-secret.md"),
    ),
    (
        &ci_providers::ProviderStaticToken,
        include_str!("../../rules/tfci-provider-static-token.md"),
    ),
    (
        &ci_providers::OutputCredentialUnmasked,
        include_str!("../../rules/tf-output-credential-unmasked.md"),
    ),
    (
        &k8s_rbac::Wildcard,
        include_str!("../../rules/k8s-rbac-wildcard.md"),
    ),
    (
        &k8s_rbac::ClusterAdminBinding,
        include_str!("../../rules/k8s-cluster-admin-binding.md"),
    ),
    (
        &k8s_rbac::BroadGroupBinding,
        include_str!("../../rules/k8s-broad-group-binding.md"),
    ),
    (
        &k8s_rbac::EscalateBindImpersonate,
        include_str!("../../rules/k8s-rbac-escalate-bind-impersonate.md"),
    ),
    (
        &k8s_rbac::SecretRead,
        include_str!("../../rules/k8s-rbac-secret-read.md"),
    ),
    (
        &k8s_rbac::PodExec,
        include_str!("../../rules/k8s-rbac-pod-exec.md"),
    ),
    (
        &k8s_rbac::PodCreate,
        include_str!("../../rules/k8s-rbac-pod-create.md"),
    ),
    (
        &k8s_rbac::NodesProxy,
        include_str!("../../rules/k8s-rbac-nodes-proxy.md"),
    ),
    (
        &k8s_rbac::WebhookControl,
        include_str!("../../rules/k8s-rbac-webhook-control.md"),
    ),
    (
        &k8s_rbac::RbacWrite,
        include_str!("../../rules/k8s-rbac-rbac-write.md"),
    ),
    (
        &k8s_rbac::TokenRequest,
        include_str!("../../rules/k8s-rbac-token-request.md"),
    ),
    (
        &k8s_rbac::CsrApproval,
        include_str!("../../rules/k8s-rbac-csr-approval.md"),
    ),
    (
        &k8s_rbac::DefaultServiceAccountBound,
        include_str!("../../rules/k8s-default-sa-bound.md"),
    ),
    (
        &k8s_workloads::DefaultSaTokenAutomount,
        include_str!("../../rules/k8s-default-sa-token-automount.md"),
    ),
    (
        &k8s_workloads::PrivilegedSaTokenAutomount,
        include_str!("../../rules/k8s-sa-token-automount.md"),
    ),
    (
        &k8s_workloads::SharedServiceAccount,
        include_str!("../../rules/k8s-sa-shared-across-workloads.md"),
    ),
    (
        &k8s_workloads::LegacyTokenSecret,
        include_str!("../../rules/k8s-legacy-sa-token-secret.md"),
    ),
    (
        &k8s_workloads::PlaintextSecretManifest,
        include_str!("../../rules/k8s-plaintext-secret.md"),
    ),
    (
        &k8s_workloads::HardcodedCredential,
        include_str!("../../rules/k8s-hardcoded-credential.md"),
    ),
    (
        &k8s_workloads::SecretEnvVar,
        include_str!("../../rules/k8s-secret-env-var.md"),
    ),
    (
        &k8s_workloads::DanglingServiceAccount,
        include_str!("../../rules/k8s-dangling-sa-reference.md"),
    ),
    (
        &ci::StaticCloudCredentials,
        include_str!("../../rules/ci-static-cloud-credentials.md"),
    ),
    (
        &ci::HardcodedCredential,
        include_str!("../../rules/ci-hardcoded-credential.md"),
    ),
    (
        &ci::DeployWithoutEnvironment,
        include_str!("../../rules/ci-deploy-without-environment.md"),
    ),
    (
        &ci::SecretSharedAcrossEnvironments,
        include_str!("../../rules/ci-secret-shared-across-environments.md"),
    ),
    (
        &gha::DefaultTokenPermissions,
        include_str!("../../rules/gha-default-token-permissions.md"),
    ),
    (
        &gha::WriteAllPermissions,
        include_str!("../../rules/gha-write-all-permissions.md"),
    ),
    (
        &gha::WorkflowWritePermissions,
        include_str!("../../rules/gha-workflow-write-permissions.md"),
    ),
    (
        &gha::IdTokenWorkflowWide,
        include_str!("../../rules/gha-id-token-workflow-wide.md"),
    ),
    (
        &gha::UntrustedTriggerWithSecrets,
        include_str!("../../rules/gha-untrusted-trigger-with-secrets.md"),
    ),
    (
        &gha::SecretsInherit,
        include_str!("../../rules/gha-secrets-inherit.md"),
    ),
    (
        &gha::SecretsBlanketExposure,
        include_str!("../../rules/gha-secrets-blanket-exposure.md"),
    ),
    (
        &gha::SecretToUnpinnedAction,
        include_str!("../../rules/gha-secret-to-unpinned-action.md"),
    ),
    (
        &gitlab::IdTokenBroad,
        include_str!("../../rules/gitlab-id-token-broad.md"),
    ),
    (
        &gitlab::CloudRoleUnprotectedBranch,
        include_str!("../../rules/gitlab-cloud-role-unprotected-branch.md"),
    ),
    (
        &gitlab::DebugTrace,
        include_str!("../../rules/gitlab-debug-trace.md"),
    ),
    (
        &gitlab::LegacyJobJwt,
        include_str!("../../rules/gitlab-legacy-job-jwt.md"),
    ),
    (
        &graph::SaCloudRole,
        include_str!("../../rules/xref-k8s-sa-cloud-role.md"),
    ),
    (
        &graph::WorkloadIdentityTrustMismatch,
        include_str!("../../rules/xref-workload-identity-trust-mismatch.md"),
    ),
    (
        &graph::CiRoleTrustBroaderThanUse,
        include_str!("../../rules/xref-ci-role-trust-broader-than-use.md"),
    ),
    (
        &graph::PrivilegedAutomationWithoutApproval,
        include_str!("../../rules/xref-privileged-automation-without-approval.md"),
    ),
    (
        &graph::IdentitySharedAcrossEnvironments,
        include_str!("../../rules/xref-identity-shared-across-envs.md"),
    ),
    (
        &graph::AiopsSeparationOfDuties,
        include_str!("../../rules/xref-aiops-sod-violation.md"),
    ),
];

pub fn all() -> impl Iterator<Item = &'static dyn Rule> {
    REGISTRY.iter().map(|(r, _)| *r)
}

/// Parsed metadata of every rule, in registry order. Parsing the embedded files is cheap
/// (tens of microseconds) and done once.
pub fn metas() -> &'static [RuleMeta] {
    static METAS: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    METAS.get_or_init(|| {
        REGISTRY
            .iter()
            .filter_map(|(rule, text)| match RuleMeta::parse(text) {
                Ok(m) if m.id == rule.id() => Some(m),
                // A broken metadata file is a build defect caught by the registry test;
                // at run time the rule is simply left out rather than crashing a scan.
                _ => None,
            })
            .collect()
    })
}

pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    metas().iter().find(|m| m.id == id)
}

/// The raw metadata texts, for the registry test.
pub fn meta_texts() -> impl Iterator<Item = (&'static str, &'static str)> {
    REGISTRY.iter().map(|(r, t)| (r.id(), *t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_valid_metadata() {
        for (id, text) in meta_texts() {
            let m = RuleMeta::parse(text).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(m.id, id, "metadata id must match the rule id");
            assert!(
                !m.title.is_empty() && !m.title.ends_with('.'),
                "{id}: title"
            );
            assert!(
                m.owasp
                    .iter()
                    .all(|o| o.starts_with("NHI") && o.ends_with(":2025") && !o.contains('-')),
                "{id}: OWASP ids look like NHI5:2025"
            );
            assert!(
                !m.owasp.is_empty() && !m.cwe.is_empty(),
                "{id}: owasp and cwe"
            );
            let mut pos = 0;
            for h in meta::HELP_HEADINGS {
                let found = m.help[pos..]
                    .find(h)
                    .unwrap_or_else(|| panic!("{id}: missing {h}"));
                pos += found + h.len();
            }
        }
        assert_eq!(metas().len(), REGISTRY.len());
    }

    #[test]
    fn rule_ids_are_unique_kebab_case() {
        let mut ids: Vec<&str> = all().map(|r| r.id()).collect();
        for id in &ids {
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{id}"
            );
        }
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    #[test]
    fn every_metadata_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let registered: Vec<&str> = all().map(|r| r.id()).collect();
        for e in std::fs::read_dir(dir).expect("rules dir") {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".md") {
                assert!(
                    registered.contains(&id),
                    "rules/{name} has no registered rule"
                );
            }
        }
    }
}
