{{/*
The labels every object carries: the same as deploy/install.yaml's, so the chart with its defaults and
the manifest give the same objects. Helm's own labels are not added for that reason; Helm tracks its
objects by annotations.
*/}}
{{- define "freshet.labels" -}}
app.kubernetes.io/name: freshet
{{- end }}

{{- define "freshet.operatorLabels" -}}
app.kubernetes.io/name: freshet
app.kubernetes.io/component: operator
{{- end }}

{{/* repository:tag@digest, or repository:tag without a digest. */}}
{{- define "freshet.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}:{{ $tag }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ $tag }}
{{- end -}}
{{- end }}
