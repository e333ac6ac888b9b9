# The article's command blocks, verbatim and in order (../../shared/seed: "Kubernetesをやってみる -
# ServiceのClusterIPとNodePortを理解する"). Lines marked "(lab)" are steps the article leaves
# implicit: leaving a node shell before the next host command, and the inline use-context tip.
brew install kind
kind create cluster --name service-demo --config=./manifests/kind-config.yaml
kubectl config current-context
kubectl config get-contexts
kubectl config use-context kind-service-demo
kubectl get nodes
kubectl create namespace dev
kubectl apply -f ./manifests/nginx-replicaset.yaml
kubectl get pod -n dev -o wide
kubectl create service <サービスのタイプ> <サービスの名前> --tcp=<ホスト側のポート>:<コンテナ側のポート>
kubectl apply -f ./manifests/nginx-service-clusterip.yaml
kubectl -n dev get svc
# ホストマシンから CLUSTER-IP にアクセス（失敗する）
curl --head --max-time 3 http://10.96.xxx.xxx
kubectl -n dev run curl-pod --restart=Never -it --rm --image=curlimages/curl:latest -- curl --head http://nginx-service
# 全 Pod の index.html を Pod 名に書き換え
for pod in $(kubectl get pod -n dev -l app=nginx -o jsonpath='{.items[*].metadata.name}'); do
  kubectl exec -n dev $pod -- sh -c "echo $pod > /usr/share/nginx/html/index.html"
done
# クラスター内から 10 回アクセス
kubectl -n dev run curl-pod --restart=Never -it --rm --image=curlimages/curl:latest -- \
  sh -c 'for i in $(seq 1 10); do curl -s http://nginx-service; done'
kubectl delete -f ./manifests/nginx-service-clusterip.yaml
kubectl apply -f ./manifests/nginx-service-nodeport.yaml
kubectl -n dev get svc
docker exec -it service-demo-worker bash
for i in {1..10}; do
  curl -s http://localhost:30000 2>/dev/null | head -1
done
# (lab) leave the node shell
exit
kubectl get endpoints -n dev nginx-service
kubectl get pod -n dev -o wide
docker exec -it service-demo-worker bash
iptables -t nat -L -n | grep "nginx-service:http ->"
# (lab) leave the node shell
exit
# worker2 でも確認
docker exec -it service-demo-worker2 iptables -t nat -L -n | grep "nginx-service:http ->"

# control-plane でも確認
docker exec -it service-demo-control-plane iptables -t nat -L -n | grep "nginx-service:http ->"
kubectl delete -f ./manifests/nginx-service-nodeport.yaml
