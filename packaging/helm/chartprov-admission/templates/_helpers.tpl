{{/* The release's names and labels. */}}
{{- define "chartprov-admission.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "chartprov-admission.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "chartprov-admission.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "chartprov-admission.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "chartprov-admission.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chartprov-admission.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "chartprov-admission.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "chartprov-admission.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: admission-webhook
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "chartprov-admission.serviceAccountName" -}}
{{- default (include "chartprov-admission.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* REPOSITORY@DIGEST or REPOSITORY:TAG; there is no default image to fall back on. */}}
{{- define "chartprov-admission.image" -}}
{{- $repo := required "image.repository is required: the image you built with packaging/image/build.sh and pushed to your registry (docs/ADMISSION.md)" .Values.image.repository -}}
{{- if .Values.image.digest -}}
{{- if not (regexMatch "^sha256:[0-9a-f]{64}$" .Values.image.digest) -}}
{{- fail (printf "image.digest %q is not sha256: and 64 hex digits" .Values.image.digest) -}}
{{- end -}}
{{- printf "%s@%s" $repo .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (required "image.digest (preferred) or image.tag is required" .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The serving certificate's Secret: cert-manager's, or the one given. */}}
{{- define "chartprov-admission.tlsSecretName" -}}
{{- if .Values.tls.certManager.enabled -}}
{{- printf "%s-tls" (include "chartprov-admission.fullname" .) -}}
{{- else -}}
{{- required "tls.secretName is required without tls.certManager.enabled: a kubernetes.io/tls Secret with tls.crt and tls.key (docs/ADMISSION.md)" .Values.tls.secretName -}}
{{- end -}}
{{- end -}}

{{/* The ConfigMap that holds policy.yaml, or "" for none. */}}
{{- define "chartprov-admission.policyConfigMap" -}}
{{- if and .Values.policy.content .Values.policy.existingConfigMap -}}
{{- fail "set policy.content or policy.existingConfigMap, not both" -}}
{{- else if .Values.policy.content -}}
{{- printf "%s-policy" (include "chartprov-admission.fullname" .) -}}
{{- else -}}
{{- .Values.policy.existingConfigMap -}}
{{- end -}}
{{- end -}}

{{/* A volume source for a ConfigMap or a Secret named by WHAT.configMap / WHAT.secret. */}}
{{- define "chartprov-admission.configOrSecret" -}}
{{- $v := index . 0 -}}{{- $what := index . 1 -}}{{- $mode := index . 2 -}}
{{- if and $v.configMap $v.secret -}}
{{- fail (printf "%s: set configMap or secret, not both" $what) -}}
{{- else if $v.configMap -}}
configMap:
  name: {{ $v.configMap }}
  defaultMode: {{ $mode }}
{{- else if $v.secret -}}
secret:
  secretName: {{ $v.secret }}
  defaultMode: {{ $mode }}
{{- end -}}
{{- end -}}

{{/* The container's securityContext, for the server and the init container alike. */}}
{{- define "chartprov-admission.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Refusals that concern the whole release. */}}
{{- define "chartprov-admission.validate" -}}
{{- if lt (int .Values.replicaCount) 1 -}}
{{- fail "replicaCount must be at least 1 (2 or more: failurePolicy is Fail)" -}}
{{- end -}}
{{- if ge (int .Values.podDisruptionBudget.minAvailable) (int .Values.replicaCount) -}}
{{- fail (printf "podDisruptionBudget.minAvailable (%d) must be below replicaCount (%d), or no node could ever be drained" (int .Values.podDisruptionBudget.minAvailable) (int .Values.replicaCount)) -}}
{{- end -}}
{{- $t := int .Values.webhook.timeoutSeconds -}}
{{- if or (lt $t 1) (gt $t 30) -}}
{{- fail (printf "webhook.timeoutSeconds must be 1..30 (the API server's range), not %d" $t) -}}
{{- end -}}
{{- if and .Values.webhook.matchConditions (semverCompare "<1.28.0-0" .Capabilities.KubeVersion.Version) -}}
{{- fail (printf "webhook.matchConditions needs Kubernetes 1.28 or newer (GA in 1.30); this cluster is %s. Set webhook.matchConditions=false to send every Secret and ConfigMap write to the webhook instead (docs/ADMISSION.md)" .Capabilities.KubeVersion.Version) -}}
{{- end -}}
{{- if not .Values.chartSources -}}
{{- fail "chartSources is required: at least one directory of signed charts (a chartprov mirror output) in a volume (docs/ADMISSION.md)" -}}
{{- end -}}
{{- if not (or .Values.trust.configMap .Values.trust.secret) -}}
{{- fail "trust.configMap or trust.secret is required: the trust root (trust.mode trustDir) or the cosign public keys (trust.mode key)" -}}
{{- end -}}
{{- if eq .Values.trust.mode "trustDir" -}}
{{- if not (regexMatch "^sha256:[0-9a-f]{64}$" (.Values.trust.rootDigest | default "")) -}}
{{- fail "trust.rootDigest is required with trust.mode trustDir: the digest `chartprov trust show` prints (sha256:...), pinned before the server starts (docs/TRUST.md)" -}}
{{- end -}}
{{- else if eq .Values.trust.mode "key" -}}
{{- if not .Values.trust.keyFiles -}}
{{- fail "trust.keyFiles is required with trust.mode key: the public key files in the ConfigMap or Secret" -}}
{{- end -}}
{{- if gt (len .Values.trust.keyFiles) 1 -}}
{{- fail "trust.keyFiles: chartprov admission takes one --key; list several keys in a trust root (trust.mode trustDir)" -}}
{{- end -}}
{{- else -}}
{{- fail (printf "trust.mode must be trustDir or key, not %q (--keyring needs chartprov-rnp, which the image does not carry)" .Values.trust.mode) -}}
{{- end -}}
{{- if not .Values.tls.certManager.enabled -}}
{{- $_ := include "chartprov-admission.tlsSecretName" . -}}
{{- $ca := required "tls.caBundle is required without tls.certManager.enabled: base64 of the PEM CA certificate that signed the serving certificate" .Values.tls.caBundle -}}
{{- if not (contains "BEGIN CERTIFICATE" ($ca | b64dec)) -}}
{{- fail "tls.caBundle must be base64 of a PEM certificate (-----BEGIN CERTIFICATE-----)" -}}
{{- end -}}
{{- end -}}
{{- end -}}
