//! Curated AWS IAM action tables: privilege-escalation methods and the privilege classes of
//! catalog §4.1. Patterns in policies are matched against these concrete actions, so `iam:*`,
//! `iam:Put*` and `*` expand to exactly the dangerous actions they include.

use super::identity::PrivilegeClass;

/// How bad a privilege-escalation method is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodKind {
    /// Changes IAM directly: the principal can grant itself anything.
    IamOnly,
    /// Passes an existing role to a service it controls.
    PassRole,
    /// Takes over compute that already runs with a role.
    ServiceAbuse,
}

#[derive(Debug)]
pub struct PrivescMethod {
    pub name: &'static str,
    /// Every action is needed.
    pub actions: &'static [&'static str],
    pub kind: MethodKind,
}

const fn m(
    name: &'static str,
    actions: &'static [&'static str],
    kind: MethodKind,
) -> PrivescMethod {
    PrivescMethod {
        name,
        actions,
        kind,
    }
}

use MethodKind::{IamOnly, PassRole, ServiceAbuse};

/// Rhino Security Labs' methods (as carried by cloudsplaining and parliament), the
/// pathfinding.cloud additions, and the service paths of BishopFox iam-vulnerable.
pub static PRIVESC_METHODS: &[PrivescMethod] = &[
    m(
        "CreateNewPolicyVersion",
        &["iam:CreatePolicyVersion"],
        IamOnly,
    ),
    m(
        "SetExistingDefaultPolicyVersion",
        &["iam:SetDefaultPolicyVersion"],
        IamOnly,
    ),
    m("CreateAccessKey", &["iam:CreateAccessKey"], IamOnly),
    m("CreateLoginProfile", &["iam:CreateLoginProfile"], IamOnly),
    m("UpdateLoginProfile", &["iam:UpdateLoginProfile"], IamOnly),
    m("AttachUserPolicy", &["iam:AttachUserPolicy"], IamOnly),
    m("AttachGroupPolicy", &["iam:AttachGroupPolicy"], IamOnly),
    m("AttachRolePolicy", &["iam:AttachRolePolicy"], IamOnly),
    m("PutUserPolicy", &["iam:PutUserPolicy"], IamOnly),
    m("PutGroupPolicy", &["iam:PutGroupPolicy"], IamOnly),
    m("PutRolePolicy", &["iam:PutRolePolicy"], IamOnly),
    m("AddUserToGroup", &["iam:AddUserToGroup"], IamOnly),
    m(
        "UpdateRolePolicyToAssumeIt",
        &["iam:UpdateAssumeRolePolicy"],
        IamOnly,
    ),
    m(
        "CreateEC2WithExistingInstanceProfile",
        &["iam:PassRole", "ec2:RunInstances"],
        PassRole,
    ),
    m(
        "PassRoleToNewSpotInstance",
        &["iam:PassRole", "ec2:RequestSpotInstances"],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewLambdaThenInvoke",
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
        ],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewLambdaThenTrigger",
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
        ],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewLambdaThenAddPermission",
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:AddPermission",
        ],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewGlueDevEndpoint",
        &["iam:PassRole", "glue:CreateDevEndpoint"],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewGlueJob",
        &["iam:PassRole", "glue:CreateJob", "glue:StartJobRun"],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewGlueJobTrigger",
        &["iam:PassRole", "glue:CreateJob", "glue:CreateTrigger"],
        PassRole,
    ),
    m(
        "PassExistingRoleToUpdatedGlueJob",
        &["iam:PassRole", "glue:UpdateJob", "glue:StartJobRun"],
        PassRole,
    ),
    m(
        "PassExistingRoleToCloudFormation",
        &["iam:PassRole", "cloudformation:CreateStack"],
        PassRole,
    ),
    m(
        "PassExistingRoleToCloudFormationChangeSet",
        &[
            "iam:PassRole",
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet",
        ],
        PassRole,
    ),
    m(
        "PassExistingRoleToCloudFormationStackSet",
        &[
            "iam:PassRole",
            "cloudformation:CreateStackSet",
            "cloudformation:CreateStackInstances",
        ],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewDataPipeline",
        &["iam:PassRole", "datapipeline:CreatePipeline"],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewCodeBuildProject",
        &[
            "iam:PassRole",
            "codebuild:CreateProject",
            "codebuild:StartBuild",
        ],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewCodeBuildProjectBatch",
        &[
            "iam:PassRole",
            "codebuild:CreateProject",
            "codebuild:StartBuildBatch",
        ],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewSageMakerNotebook",
        &["iam:PassRole", "sagemaker:CreateNotebookInstance"],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewSageMakerTrainingJob",
        &["iam:PassRole", "sagemaker:CreateTrainingJob"],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewSageMakerProcessingJob",
        &["iam:PassRole", "sagemaker:CreateProcessingJob"],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewAppRunnerService",
        &["iam:PassRole", "apprunner:CreateService"],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewEcsTask",
        &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
        PassRole,
    ),
    m(
        "PassExistingRoleToStartedEcsTask",
        &[
            "iam:PassRole",
            "ecs:RegisterTaskDefinition",
            "ecs:StartTask",
        ],
        PassRole,
    ),
    m(
        "PassExistingRoleToNewEcsService",
        &[
            "iam:PassRole",
            "ecs:RegisterTaskDefinition",
            "ecs:CreateService",
        ],
        PassRole,
    ),
    m(
        "EditExistingLambdaFunctionWithRole",
        &["lambda:UpdateFunctionCode"],
        ServiceAbuse,
    ),
    m(
        "UpdateExistingGlueDevEndpoint",
        &["glue:UpdateDevEndpoint"],
        ServiceAbuse,
    ),
    m(
        "UpdateExistingCloudFormationStack",
        &["cloudformation:UpdateStack"],
        ServiceAbuse,
    ),
    m(
        "UpdateExistingCloudFormationStackSet",
        &["cloudformation:UpdateStackSet"],
        ServiceAbuse,
    ),
    m(
        "SendSSHPublicKeyToInstance",
        &["ec2-instance-connect:SendSSHPublicKey"],
        ServiceAbuse,
    ),
    m("RunCommandOnInstance", &["ssm:SendCommand"], ServiceAbuse),
    m(
        "StartSessionOnInstance",
        &["ssm:StartSession"],
        ServiceAbuse,
    ),
    m(
        "ExecuteCommandInEcsTask",
        &["ecs:ExecuteCommand"],
        ServiceAbuse,
    ),
    m(
        "OpenExistingSageMakerNotebook",
        &["sagemaker:CreatePresignedNotebookInstanceUrl"],
        ServiceAbuse,
    ),
    m(
        "ReplaceInstanceUserData",
        &[
            "ec2:ModifyInstanceAttribute",
            "ec2:StopInstances",
            "ec2:StartInstances",
        ],
        ServiceAbuse,
    ),
    m(
        "NewLaunchTemplateVersion",
        &[
            "ec2:CreateLaunchTemplateVersion",
            "ec2:ModifyLaunchTemplate",
        ],
        ServiceAbuse,
    ),
];

/// Actions that return credentials (cloudsplaining `ACTIONS_THAT_RETURN_CREDENTIALS`).
pub static CREDENTIAL_MINTING: &[&str] = &[
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
    "sso:GetRoleCredentials",
    "ecr:GetAuthorizationToken",
    "ecr-public:GetAuthorizationToken",
    "codeartifact:GetAuthorizationToken",
    "codepipeline:PollForJobs",
    "cognito-identity:GetCredentialsForIdentity",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-idp:GetSigningCertificate",
    "ec2:GetPasswordData",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM",
    "redshift-serverless:GetCredentials",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:DownloadDefaultKeyPair",
    "lightsail:CreateBucketAccessKey",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "airflow:CreateCliToken",
    "airflow:CreateWebLoginToken",
    "appsync:CreateApiKey",
    "grafana:CreateWorkspaceApiKey",
    "emr-containers:GetManagedEndpointSessionCredentials",
    "license-manager:GetAccessToken",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "connect:GetFederationToken",
    "cloud9:CreateEnvironmentToken",
    "chime:CreateApiKey",
    "finspace-api:GetProgrammaticAccessCredentials",
    "gamelift:GetInstanceAccess",
    "gamelift:RequestUploadCredentials",
];

/// Credential-minting actions that AWS only supports on `*`: report them, but not as a risk.
pub static MINTING_ONLY_ON_STAR: &[&str] = &[
    "ecr:GetAuthorizationToken",
    "ecr-public:GetAuthorizationToken",
    "codeartifact:GetAuthorizationToken",
    "sts:GetSessionToken",
];

/// Reading secret material (catalog rule 9), with `s3:GetObject` rated lower.
pub static SECRET_READ: &[&str] = &[
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:GetParameterHistory",
    "kms:Decrypt",
    "s3:GetObject",
];

/// "Permissions management": actions that change who can do what.
pub static PERMISSIONS_MANAGEMENT: &[&str] = &[
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:DetachUserPolicy",
    "iam:DetachGroupPolicy",
    "iam:DetachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:DeleteUserPolicy",
    "iam:DeleteGroupPolicy",
    "iam:DeleteRolePolicy",
    "iam:CreatePolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreateRole",
    "iam:AddUserToGroup",
    "iam:PutUserPermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:CreateOpenIDConnectProvider",
    "iam:UpdateOpenIDConnectProviderThumbprint",
    "iam:CreateSAMLProvider",
    "iam:UpdateSAMLProvider",
    "s3:PutBucketPolicy",
    "s3:PutBucketAcl",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "secretsmanager:PutResourcePolicy",
    "lambda:AddPermission",
    "ecr:SetRepositoryPolicy",
    "sqs:AddPermission",
    "sns:AddPermission",
    "organizations:AttachPolicy",
    "organizations:UpdatePolicy",
    "eks:CreateAccessEntry",
    "eks:AssociateAccessPolicy",
];

/// Permissions-management actions that hand over the whole account (critical when unscoped).
pub static PERMISSIONS_MANAGEMENT_CRITICAL: &[&str] = &[
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreatePolicyVersion",
];

/// Deleting or disabling resources, including defence evasion (curated, catalog §4.1).
pub static INFRA_DESTRUCTION: &[&str] = &[
    "ec2:TerminateInstances",
    "ec2:DeleteVolume",
    "ec2:DeleteSnapshot",
    "rds:DeleteDBInstance",
    "rds:DeleteDBCluster",
    "rds:DeleteDBSnapshot",
    "s3:DeleteBucket",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:PutLifecycleConfiguration",
    "dynamodb:DeleteTable",
    "dynamodb:DeleteBackup",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "secretsmanager:DeleteSecret",
    "lambda:DeleteFunction",
    "eks:DeleteCluster",
    "eks:DeleteNodegroup",
    "ecs:DeleteService",
    "ecs:DeleteCluster",
    "cloudformation:DeleteStack",
    "route53:DeleteHostedZone",
    "backup:DeleteRecoveryPoint",
    "backup:DeleteBackupVault",
    "efs:DeleteFileSystem",
    "glacier:DeleteArchive",
];

/// Turning off the evidence: makes any destructive grant worse.
pub static DEFENCE_EVASION: &[&str] = &[
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "logs:DeleteLogGroup",
    "guardduty:DeleteDetector",
    "config:StopConfigurationRecorder",
];

pub static OPERATE: &[&str] = &[
    "ec2:RebootInstances",
    "ec2:StopInstances",
    "ec2:StartInstances",
    "ecs:UpdateService",
    "autoscaling:SetDesiredCapacity",
    "autoscaling:StartInstanceRefresh",
    "lambda:PutFunctionConcurrency",
    "rds:RebootDBInstance",
];

pub static OBSERVE: &[&str] = &[
    "cloudwatch:GetMetricData",
    "cloudwatch:ListMetrics",
    "cloudwatch:DescribeAlarms",
    "logs:FilterLogEvents",
    "logs:GetLogEvents",
    "logs:StartQuery",
    "xray:GetTraceSummaries",
];

/// Services where a service-wide wildcard is rated high (catalog rule 2).
pub static SENSITIVE_SERVICES: &[&str] = &[
    "iam",
    "sts",
    "kms",
    "secretsmanager",
    "ssm",
    "organizations",
    "lambda",
    "ec2",
    "ecs",
    "eks",
    "cloudformation",
    "s3",
];

/// AWS-managed policies that grant administrative power when attached.
pub static ADMIN_MANAGED_POLICIES: &[(&str, &str)] = &[
    ("AdministratorAccess", "critical"),
    ("IAMFullAccess", "high"),
    ("PowerUserAccess", "high"),
    ("AWSOrganizationsFullAccess", "high"),
];

/// Does an action pattern (`s3:Get*`) expand only to read/list actions? Judged from the verb
/// prefix, since every AWS read action starts with one of these.
pub fn pattern_is_read_only(pattern: &str) -> bool {
    let Some((_, name)) = pattern.split_once(':') else {
        return false;
    };
    const READ_PREFIXES: &[&str] = &[
        "get", "list", "describe", "view", "read", "search", "query", "scan", "lookup", "batchget",
        "select", "check", "estimate", "head", "detect", "download", "export", "preview",
        "validate", "verify", "discover",
    ];
    let lower = name.to_ascii_lowercase();
    let fixed = lower.split(['*', '?']).next().unwrap_or("");
    if fixed.is_empty() {
        return false;
    }
    READ_PREFIXES.iter().any(|p| fixed.starts_with(p))
}

/// The privilege classes a statement's actions fall into (used by the inventory and messages).
pub fn classes_of_action(pattern: &str) -> Vec<PrivilegeClass> {
    let mut out = Vec::new();
    // The pattern meets hundreds of table actions: trimmed and looked at for wildcards once,
    // not on every comparison (the same test as `iam::action_matches`).
    let p = pattern.trim();
    let wild = p.bytes().any(|c| matches!(c, b'*' | b'?'));
    let matches = |a: &str| {
        if wild {
            super::iam::glob_ci(p.as_bytes(), a.as_bytes())
        } else {
            p.eq_ignore_ascii_case(a)
        }
    };
    let any = |list: &[&str]| list.iter().any(|a| matches(a));
    if pattern.trim() == "*" || pattern.trim() == "*:*" {
        out.push(PrivilegeClass::Admin);
    }
    // `iam:PassRole` is half of most escalation methods: a pattern reaching it escalates.
    if matches("iam:PassRole")
        || PRIVESC_METHODS
            .iter()
            .any(|m| m.actions.len() == 1 && matches(m.actions[0]))
    {
        out.push(PrivilegeClass::Privesc);
    }
    if any(PERMISSIONS_MANAGEMENT) {
        out.push(PrivilegeClass::IamModification);
    }
    if any(CREDENTIAL_MINTING) || any(SECRET_READ) {
        out.push(PrivilegeClass::CredExposure);
    }
    if any(INFRA_DESTRUCTION) || any(DEFENCE_EVASION) {
        out.push(PrivilegeClass::InfraDestruction);
    }
    if any(OPERATE) {
        out.push(PrivilegeClass::Operate);
    }
    if any(OBSERVE) {
        out.push(PrivilegeClass::Observe);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_patterns() {
        assert!(pattern_is_read_only("ec2:Describe*"));
        assert!(pattern_is_read_only("s3:Get*"));
        assert!(pattern_is_read_only("s3:List*"));
        assert!(!pattern_is_read_only("s3:*"));
        assert!(!pattern_is_read_only("s3:Put*"));
        assert!(!pattern_is_read_only("iam:*Policy"));
    }

    #[test]
    fn wildcards_expand_to_classes() {
        assert!(classes_of_action("iam:*").contains(&PrivilegeClass::IamModification));
        assert!(classes_of_action("iam:Put*").contains(&PrivilegeClass::Privesc));
        assert!(classes_of_action("*").contains(&PrivilegeClass::Admin));
        assert!(classes_of_action("ec2:Describe*").is_empty());
    }
}
