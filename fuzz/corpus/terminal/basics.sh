kubectl get pods -A
kubectl get svc -o yaml
for i in {1..3}; do echo $i | grep 2; done
