// generated — edit pipelines/jenkins, then run `npx tdr jobs build`
// Job DSL seed: creates every job of the model; run by mgmt/seed on each start and each merge.
folder('mgmt') {
    description('Jobs acting on the mgmt account (management)')
}
folder('sbox') {
    description('Jobs acting on the sbox account (sandbox)')
}
folder('intg') {
    description('Jobs acting on the intg account (workload)')
}
folder('staging') {
    description('Jobs acting on the staging account (workload)')
}
folder('prod') {
    description('Jobs acting on the prod account (workload)')
}
folder('intg/frontend') {
    description('Releases of frontend in intg')
}
folder('intg/consignmentapi') {
    description('Releases of consignmentapi in intg')
}
folder('intg/keycloak') {
    description('Releases of keycloak in intg')
}
folder('intg/transferservice') {
    description('Releases of transferservice in intg')
}
folder('staging/frontend') {
    description('Releases of frontend in staging')
}
folder('staging/consignmentapi') {
    description('Releases of consignmentapi in staging')
}
folder('staging/keycloak') {
    description('Releases of keycloak in staging')
}
folder('staging/transferservice') {
    description('Releases of transferservice in staging')
}
folder('prod/frontend') {
    description('Releases of frontend in prod')
}
folder('prod/consignmentapi') {
    description('Releases of consignmentapi in prod')
}
folder('prod/keycloak') {
    description('Releases of keycloak in prod')
}
folder('prod/transferservice') {
    description('Releases of transferservice in prod')
}
folder('mgmt/infra') {
    description('Pulumi stack of the mgmt account')
}
folder('sbox/infra') {
    description('Pulumi stack of the sbox account')
}
folder('intg/infra') {
    description('Pulumi stack of the intg account')
}
folder('staging/infra') {
    description('Pulumi stack of the staging account')
}
folder('prod/infra') {
    description('Pulumi stack of the prod account')
}
folder('mgmt/build') {
    description('Builds of every source repository: tests, images, vN tags')
}
pipelineJob('intg/e2e') {
    description('Runs the end-to-end tests against intg and records the result for the release')
    parameters {
        choiceParam('SERVICE', ['frontend', 'consignmentapi', 'keycloak', 'transferservice'], 'The service just released')
        stringParam('VERSION', '', 'The version just released')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/e2e-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/frontend/deploy') {
    description('Deploys a build of frontend to intg. Started by frontend\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/frontend/rollback') {
    description('Rolls frontend in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/consignmentapi/deploy') {
    description('Deploys a build of consignmentapi to intg. Started by consignmentapi\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/consignmentapi/rollback') {
    description('Rolls consignmentapi in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/keycloak/deploy') {
    description('Deploys a build of keycloak to intg. Started by keycloak\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/keycloak/rollback') {
    description('Rolls keycloak in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/transferservice/deploy') {
    description('Deploys a build of transferservice to intg. Started by transferservice\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/transferservice/rollback') {
    description('Rolls transferservice in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/e2e') {
    description('Runs the end-to-end tests against staging and records the result for the release')
    parameters {
        choiceParam('SERVICE', ['frontend', 'consignmentapi', 'keycloak', 'transferservice'], 'The service just released')
        stringParam('VERSION', '', 'The version just released')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/e2e-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/frontend/promote') {
    description('Promotes frontend from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/frontend/rollback') {
    description('Rolls frontend in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/consignmentapi/promote') {
    description('Promotes consignmentapi from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/consignmentapi/rollback') {
    description('Rolls consignmentapi in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/keycloak/promote') {
    description('Promotes keycloak from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/keycloak/rollback') {
    description('Rolls keycloak in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/transferservice/promote') {
    description('Promotes transferservice from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/transferservice/rollback') {
    description('Rolls transferservice in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/frontend/promote') {
    description('Promotes frontend from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/frontend/rollback') {
    description('Rolls frontend in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/consignmentapi/promote') {
    description('Promotes consignmentapi from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/consignmentapi/rollback') {
    description('Rolls consignmentapi in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/keycloak/promote') {
    description('Promotes keycloak from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/keycloak/rollback') {
    description('Rolls keycloak in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/transferservice/promote') {
    description('Promotes transferservice from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/transferservice/rollback') {
    description('Rolls transferservice in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('mgmt/infra/preview') {
    description('pulumi preview of the mgmt stack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-preview-mgmt.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('mgmt/infra/apply') {
    description('pulumi up of the mgmt stack: shows the preview, waits for a member of admins, then applies exactly that plan')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-apply-mgmt.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('sbox/infra/preview') {
    description('pulumi preview of the sbox stack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-preview-sbox.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('sbox/infra/apply') {
    description('pulumi up of the sbox stack, applied on every merge to main (exactly the plan it previews)')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-apply-sbox.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/infra/preview') {
    description('pulumi preview of the intg stack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-preview-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/infra/apply') {
    description('pulumi up of the intg stack, applied on every merge to main (exactly the plan it previews)')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-apply-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/infra/preview') {
    description('pulumi preview of the staging stack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-preview-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/infra/apply') {
    description('pulumi up of the staging stack: shows the preview, waits for a member of admins, then applies exactly that plan')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-apply-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/infra/preview') {
    description('pulumi preview of the prod stack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-preview-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/infra/apply') {
    description('pulumi up of the prod stack: shows the preview, waits for a member of admins, then applies exactly that plan')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-apply-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/run-task') {
    description('Runs a one-off ECS task in intg: database migrations, reference data (series, departments), Keycloak updates')
    parameters {
        choiceParam('TASK', ['consignment-export', 'consignment-api-data', 'keycloak-update'], 'The one-off task to run')
        stringParam('VERSION', '', 'Release tag of the task image, e.g. v42')
        stringParam('CONSIGNMENT_ID', '', 'consignment-export only: The consignment to export (again), e.g. after a failed export; consignmentId (a string matching ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$, required)')
        booleanParam('UPDATE_POLICY', false, 'keycloak-update only: Whether the update applies the realm’s policies too (the task reads UPDATE_POLICY); updatePolicy (true or false)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/run-task-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/run-task') {
    description('Runs a one-off ECS task in staging: database migrations, reference data (series, departments), Keycloak updates')
    parameters {
        choiceParam('TASK', ['consignment-export', 'consignment-api-data', 'keycloak-update'], 'The one-off task to run')
        stringParam('VERSION', '', 'Release tag of the task image, e.g. v42')
        stringParam('CONSIGNMENT_ID', '', 'consignment-export only: The consignment to export (again), e.g. after a failed export; consignmentId (a string matching ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$, required)')
        booleanParam('UPDATE_POLICY', false, 'keycloak-update only: Whether the update applies the realm’s policies too (the task reads UPDATE_POLICY); updatePolicy (true or false)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/run-task-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/run-task') {
    description('Runs a one-off ECS task in prod: database migrations, reference data (series, departments), Keycloak updates')
    parameters {
        choiceParam('TASK', ['consignment-export', 'consignment-api-data', 'keycloak-update'], 'The one-off task to run')
        stringParam('VERSION', '', 'Release tag of the task image, e.g. v42')
        stringParam('CONSIGNMENT_ID', '', 'consignment-export only: The consignment to export (again), e.g. after a failed export; consignmentId (a string matching ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$, required)')
        booleanParam('UPDATE_POLICY', false, 'keycloak-update only: Whether the update applies the realm’s policies too (the task reads UPDATE_POLICY); updatePolicy (true or false)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/run-task-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('mgmt/seed') {
    description('Recreates every job from pipelines/jenkins: on each controller start and each merge to main')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/seed.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('mgmt/dashboards') {
    description('Publishes the Grafana dashboards and alerting generated from the catalogue')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/dashboards.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('mgmt/release-report') {
    description('Every night: the release board (what runs where, what waits to be promoted, delivery metrics), archived and posted to Slack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
        pipelineTriggers {
            triggers {
                cron {
                    spec('H 6 * * *')
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/release-report.Jenkinsfile'))
            sandbox(true)
        }
    }
}
multibranchPipelineJob('mgmt/platform') {
    description('The platform repository: tests, synth, and on main applies intg and reseeds jobs')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-platform')
                    repoOwner('nationalarchives')
                    repository('tdr-platform')
                    repositoryUrl('https://github.com/nationalarchives/tdr-platform')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                    }
                }
            }
        }
    }
    factory {
        workflowBranchProjectFactory {
            scriptPath('Jenkinsfile')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-transfer-frontend') {
    description('Builds tdr-transfer-frontend (frontend): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-transfer-frontend')
                    repoOwner('nationalarchives')
                    repository('tdr-transfer-frontend')
                    repositoryUrl('https://github.com/nationalarchives/tdr-transfer-frontend')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-consignment-api') {
    description('Builds tdr-consignment-api (consignmentapi): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-consignment-api')
                    repoOwner('nationalarchives')
                    repository('tdr-consignment-api')
                    repositoryUrl('https://github.com/nationalarchives/tdr-consignment-api')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-auth-server') {
    description('Builds tdr-auth-server (keycloak, keycloak-update): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-auth-server')
                    repoOwner('nationalarchives')
                    repository('tdr-auth-server')
                    repositoryUrl('https://github.com/nationalarchives/tdr-auth-server')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-transfer-service') {
    description('Builds tdr-transfer-service (transferservice): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-transfer-service')
                    repoOwner('nationalarchives')
                    repository('tdr-transfer-service')
                    repositoryUrl('https://github.com/nationalarchives/tdr-transfer-service')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-consignment-export') {
    description('Builds tdr-consignment-export (consignment-export): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-consignment-export')
                    repoOwner('nationalarchives')
                    repository('tdr-consignment-export')
                    repositoryUrl('https://github.com/nationalarchives/tdr-consignment-export')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-consignment-api-data') {
    description('Builds tdr-consignment-api-data (consignment-api-data): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-consignment-api-data')
                    repoOwner('nationalarchives')
                    repository('tdr-consignment-api-data')
                    repositoryUrl('https://github.com/nationalarchives/tdr-consignment-api-data')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
pipelineJob('mgmt/agent-image') {
    description('Builds the agent images (tdr at TDR_VERSION, Node, Pulumi; Kaniko and build tools for ecs-mgmt-build) into mgmt\'s ECR; pin the result in settings.tdrVersion')
    parameters {
        stringParam('TDR_VERSION', '', 'The platform release (git tag, e.g. v12) to install as tdr')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/agent-image.Jenkinsfile'))
            sandbox(true)
        }
    }
}
